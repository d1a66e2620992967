package dev.largo.service.jobs;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobStatus;

/** Keyset pages of a tenant's jobs in one status, in the order of every list: newest first. */
interface JobPages extends Repository<JobEntity, UUID> {

    @Query("select j from JobEntity j where j.tenantId = :tenantId and j.status = :status"
            + " order by j.createdAt desc, j.id desc")
    List<JobEntity> findFirstPage(String tenantId, JobStatus status, Limit limit);

    @Query("select j from JobEntity j where j.tenantId = :tenantId and j.status = :status"
            + " and (j.createdAt < :createdAt or (j.createdAt = :createdAt and j.id < :id))"
            + " order by j.createdAt desc, j.id desc")
    List<JobEntity> findPageAfter(String tenantId, JobStatus status, Instant createdAt, UUID id, Limit limit);
}
