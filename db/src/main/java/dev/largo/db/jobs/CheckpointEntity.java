package dev.largo.db.jobs;

import dev.largo.db.support.AssignedIdEntity;
import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import lombok.Getter;

/** A checkpoint of a job (adapter, optimizer and LARGO state, step, RNG) stored as one artifact. */
@Getter
@Entity
@Table(name = "checkpoints")
public class CheckpointEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(nullable = false)
    private int epoch;

    @Column(nullable = false)
    private long step;

    @Column(name = "artifact_id", nullable = false)
    private UUID artifactId;

    /** Continual jobs: the task the checkpoint was written in; null otherwise. */
    @Column(name = "task_index")
    private Integer taskIndex;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();

    protected CheckpointEntity() {
    }

    public CheckpointEntity(UUID id, UUID jobId, int epoch, long step, UUID artifactId) {
        this.id = id;
        this.jobId = jobId;
        this.epoch = epoch;
        this.step = step;
        this.artifactId = artifactId;
    }

    /** Files the checkpoint under a continual job's task. */
    public CheckpointEntity forTask(Integer taskIndex) {
        this.taskIndex = taskIndex;
        return this;
    }
}
