package dev.largo.db.jobs;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TaskAccuracyRepository extends JpaRepository<TaskAccuracyEntity, TaskAccuracyEntity.Key> {

    /** The matrix row by row, each row's columns in task order. */
    List<TaskAccuracyEntity> findByJobIdOrderByAfterTaskAscTaskIndexAsc(UUID jobId);
}
