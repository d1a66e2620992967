package dev.largo.db.jobs;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface CheckpointRepository extends JpaRepository<CheckpointEntity, UUID> {

    List<CheckpointEntity> findByJobIdOrderByStepAsc(UUID jobId);

    /** The checkpoint a resumed job restarts from. */
    Optional<CheckpointEntity> findFirstByJobIdOrderByStepDesc(UUID jobId);
}
