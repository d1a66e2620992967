package dev.largo.db.jobs;

import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import lombok.Getter;

/**
 * One task of a continual job: what changes while it runs (status, progress, its adapter, the continual
 * metrics after it). Its configuration (name, training dataset, evaluation splits) is in the job's spec;
 * the training dataset is repeated here so that the database keeps the reference, as for single jobs.
 *
 * <p>The service inserts a task when it creates or extends a job; from then on the worker updates it with
 * plain SQL fenced by the job's lease, so the lifecycle columns are {@code updatable = false} here.
 */
@Getter
@Entity
@Table(name = "job_tasks")
@IdClass(JobTaskEntity.Key.class)
public class JobTaskEntity {

    /** The composite primary key (job, index). */
    public static class Key implements Serializable {
        private UUID jobId;
        private int taskIndex;

        public Key() {
        }

        public Key(UUID jobId, int taskIndex) {
            this.jobId = jobId;
            this.taskIndex = taskIndex;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && java.util.Objects.equals(jobId, other.jobId) && taskIndex == other.taskIndex;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(jobId, taskIndex);
        }
    }

    @Id
    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Id
    @Column(name = "task_index", nullable = false)
    private int taskIndex;

    @Column(name = "training_dataset_id", nullable = false)
    private UUID trainingDatasetId;

    @Convert(converter = TaskStatusConverter.class)
    @Column(nullable = false, updatable = false)
    private TaskStatus status = TaskStatus.PENDING;

    @Column(nullable = false, updatable = false)
    private double progress;

    @Column(name = "adapter_id", updatable = false)
    private UUID adapterId;

    @Column(name = "average_accuracy", updatable = false)
    private Double averageAccuracy;

    @Column(name = "backward_transfer", updatable = false)
    private Double backwardTransfer;

    @Column(name = "started_at", updatable = false)
    private Instant startedAt;

    @Column(name = "finished_at", updatable = false)
    private Instant finishedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt = Timestamps.now();

    protected JobTaskEntity() {
    }

    public JobTaskEntity(UUID jobId, int taskIndex, UUID trainingDatasetId) {
        this.jobId = jobId;
        this.taskIndex = taskIndex;
        this.trainingDatasetId = trainingDatasetId;
    }
}
