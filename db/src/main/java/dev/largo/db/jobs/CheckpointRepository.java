package dev.largo.db.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CheckpointRepository extends JpaRepository<CheckpointEntity, UUID> {

    List<CheckpointEntity> findByJobIdOrderByStepAsc(UUID jobId);

    /** The checkpoint a resumed job restarts from. */
    Optional<CheckpointEntity> findFirstByJobIdOrderByStepDesc(UUID jobId);

    /** A continual job's checkpoints in the order they were written (its tasks may count steps afresh). */
    List<CheckpointEntity> findByJobIdOrderByCreatedAtAscStepAsc(UUID jobId);

    /** The checkpoint a resumed or extended continual job restarts from: the last one written. */
    Optional<CheckpointEntity> findFirstByJobIdOrderByCreatedAtDescStepDesc(UUID jobId);
}
