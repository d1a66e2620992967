package dev.largo.db.jobs;

import dev.largo.db.support.TenantScopedRepository;
import java.util.UUID;

/**
 * Jobs as resources (create, read, list). State transitions go through {@link dev.largo.db.queue.JobQueue}.
 * After {@code save} of a new job, call {@code flush} (or use {@code saveAndFlush}) before
 * {@code JobQueue.enqueue} in the same transaction: the queue works in SQL and does not see unflushed entities.
 */
public interface JobRepository extends TenantScopedRepository<JobEntity, UUID> {

    long countByTenantIdAndStatus(String tenantId, JobStatus status);
}
