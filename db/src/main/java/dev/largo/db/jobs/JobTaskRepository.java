package dev.largo.db.jobs;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobTaskRepository extends JpaRepository<JobTaskEntity, JobTaskEntity.Key> {

    List<JobTaskEntity> findByJobIdOrderByTaskIndexAsc(UUID jobId);

    /** The tasks of several jobs at once (a page of the jobs list). */
    List<JobTaskEntity> findByJobIdInOrderByJobIdAscTaskIndexAsc(Collection<UUID> jobIds);
}
