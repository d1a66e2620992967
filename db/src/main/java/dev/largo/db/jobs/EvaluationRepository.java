package dev.largo.db.jobs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface EvaluationRepository extends JpaRepository<EvaluationEntity, Long> {

    List<EvaluationEntity> findByJobIdOrderByIdAsc(UUID jobId);

    /** Final evaluations (after training), one per split and model. */
    List<EvaluationEntity> findByJobIdAndEpochIsNullOrderByIdAsc(UUID jobId);
}
