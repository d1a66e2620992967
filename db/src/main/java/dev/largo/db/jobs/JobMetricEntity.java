package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;
import lombok.Getter;

/**
 * One metric value of a job at a step: {@code train_loss}, {@code learning_rate}, {@code step_time_ms},
 * {@code gamma/<tensor name>}, ... Written in batches by {@link dev.largo.db.queue.ProgressWriter}.
 */
@Getter
@Entity
@Table(name = "job_metrics")
public class JobMetricEntity extends JobLogRow {

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
        super(jobId);
        this.step = step;
        this.epoch = epoch;
        this.name = name;
        this.value = value;
    }
}
