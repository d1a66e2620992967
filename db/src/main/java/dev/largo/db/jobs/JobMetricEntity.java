package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One metric value of a job at a step: {@code train_loss}, {@code learning_rate}, {@code step_time_ms},
 * {@code gamma/<tensor name>}, ... Written in batches by {@link dev.largo.db.queue.ProgressWriter}.
 */
@Entity
@Table(name = "job_metrics")
public class JobMetricEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private long step;

    private Integer epoch;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private double value;

    protected JobMetricEntity() {
    }

    public JobMetricEntity(UUID jobId, long step, Integer epoch, String name, double value) {
        this.jobId = jobId;
        this.step = step;
        this.epoch = epoch;
        this.name = name;
        this.value = value;
    }

    public Long getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public long getStep() {
        return step;
    }

    public Integer getEpoch() {
        return epoch;
    }

    public String getName() {
        return name;
    }

    public double getValue() {
        return value;
    }
}
