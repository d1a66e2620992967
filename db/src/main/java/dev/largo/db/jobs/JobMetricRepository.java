package dev.largo.db.jobs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface JobMetricRepository extends JpaRepository<JobMetricEntity, Long> {

    /** Metric values after the cursor {@code after} (a metric row id; 0 for the start), oldest first. */
    List<JobMetricEntity> findByJobIdAndIdGreaterThanOrderByIdAsc(UUID jobId, long after, Limit limit);

    /** Values of one metric (e.g. {@code train_loss}) after the cursor, oldest first. */
    List<JobMetricEntity> findByJobIdAndNameAndIdGreaterThanOrderByIdAsc(UUID jobId, String name, long after, Limit limit);

    /** Values of the metrics whose name starts with {@code prefix} (e.g. {@code gamma/}) after the cursor. */
    @Query("select m from JobMetricEntity m where m.jobId = :jobId and m.name like concat(:prefix, '%')"
            + " and m.id > :after order by m.id")
    List<JobMetricEntity> findByNamePrefixAfter(UUID jobId, String prefix, long after, Limit limit);
}
