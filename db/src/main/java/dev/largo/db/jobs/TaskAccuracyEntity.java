package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import lombok.Getter;

/** One cell a[afterTask][taskIndex] of a continual job's accuracy matrix. */
@Getter
@Entity
@Table(name = "task_accuracies")
@IdClass(TaskAccuracyEntity.Key.class)
public class TaskAccuracyEntity {

    /** The composite primary key (job, row, column). */
    public static class Key implements Serializable {
        private UUID jobId;
        private int afterTask;
        private int taskIndex;

        public Key() {
        }

        public Key(UUID jobId, int afterTask, int taskIndex) {
            this.jobId = jobId;
            this.afterTask = afterTask;
            this.taskIndex = taskIndex;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && java.util.Objects.equals(jobId, other.jobId) && afterTask == other.afterTask && taskIndex == other.taskIndex;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(jobId, afterTask, taskIndex);
        }
    }

    @Id
    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Id
    @Column(name = "after_task", nullable = false)
    private int afterTask;

    @Id
    @Column(name = "task_index", nullable = false)
    private int taskIndex;

    @Column(nullable = false)
    private double accuracy;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    protected TaskAccuracyEntity() {
    }

    public TaskAccuracyEntity(UUID jobId, int afterTask, int taskIndex, double accuracy) {
        this.jobId = jobId;
        this.afterTask = afterTask;
        this.taskIndex = taskIndex;
        this.accuracy = accuracy;
    }
}
