package dev.largo.db.jobs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JobEventRepository extends JpaRepository<JobEventEntity, Long> {

    /** Events after the cursor {@code after} (an event id; 0 for the start), oldest first. */
    List<JobEventEntity> findByJobIdAndIdGreaterThanOrderByIdAsc(UUID jobId, long after, Limit limit);

    long countByJobId(UUID jobId);
}
