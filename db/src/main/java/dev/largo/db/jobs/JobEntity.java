package dev.largo.db.jobs;

import dev.largo.db.support.TenantOwnedEntity;
import dev.largo.db.support.Timestamps;
import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import lombok.Getter;
import lombok.Setter;

/**
 * A fine-tuning job.
 *
 * <p>Two writers touch a job row: the service creates it through JPA, and from then on its lifecycle
 * (status, lease, attempts, progress, error, result) belongs to {@link dev.largo.db.queue.JobQueue}, which
 * updates it with plain SQL under row locks. Those lifecycle columns are therefore {@code updatable = false}
 * here: their setters only take effect for a job that has not been saved yet, and a stale entity saved later
 * can never overwrite a transition the queue made. {@link DynamicUpdate} keeps other updates to the columns
 * that actually changed.
 */
@Getter
@Entity
@AttributeOverride(name = "createdAt", column = @Column(name = "created_at", nullable = false, updatable = false))
@Table(name = "jobs")
@DynamicUpdate
public class JobEntity extends TenantOwnedEntity<UUID> {

    @Id
    private UUID id;

    @Convert(converter = JobStatusConverter.class)
    @Column(nullable = false, updatable = false)
    @Setter
    private JobStatus status = JobStatus.VALIDATING;

    @Column(name = "base_model_id", nullable = false)
    @Setter
    private String baseModelId;

    /** Null for a continual job, whose tasks name their training datasets ({@link JobTaskEntity}). */
    @Column(name = "training_dataset_id")
    @Setter
    private UUID trainingDatasetId;

    /** The whole create request as JSON text (jsonb). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    @Setter
    private String spec;

    @Column(name = "method_type", nullable = false)
    @Setter
    private String methodType;

    @Column(nullable = false)
    @Setter
    private long seed;

    @Setter
    private String suffix;

    @Column(nullable = false)
    @Setter
    private int priority;

    @Column(nullable = false, updatable = false)
    private int attempts;

    @Column(name = "max_attempts", nullable = false)
    @Setter
    private int maxAttempts = 3;

    @Column(name = "lease_owner", updatable = false)
    private String leaseOwner;

    @Column(name = "lease_expires_at", updatable = false)
    private Instant leaseExpiresAt;

    @Column(name = "next_attempt_at", updatable = false)
    private Instant nextAttemptAt;

    @Column(name = "cancel_requested", nullable = false, updatable = false)
    private boolean cancelRequested;

    @Column(nullable = false, updatable = false)
    private double progress;

    @Column(name = "eta_seconds", updatable = false)
    private Double etaSeconds;

    @Column(name = "current_epoch", updatable = false)
    private Integer currentEpoch;

    @Column(name = "current_step", updatable = false)
    private Long currentStep;

    @Column(name = "total_steps", updatable = false)
    private Long totalSteps;

    /** A continual job's task being trained or last trained; null for single-task jobs. */
    @Column(name = "current_task", updatable = false)
    private Integer currentTask;

    @Column(name = "error_code", updatable = false)
    @Setter
    private String errorCode;

    @Column(name = "error_message", updatable = false)
    @Setter
    private String errorMessage;

    @Column(name = "error_param", updatable = false)
    @Setter
    private String errorParam;

    @Column(name = "fine_tuned_adapter_id", updatable = false)
    private UUID fineTunedAdapterId;

    @Column(name = "started_at", updatable = false)
    private Instant startedAt;

    @Column(name = "finished_at", updatable = false)
    @Setter
    private Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt = getCreatedAt();

    protected JobEntity() {
    }

    public JobEntity(UUID id) {
        this.id = id;
    }

    @PreUpdate
    void touch() {
        updatedAt = Timestamps.now();
    }
}
