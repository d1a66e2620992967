package dev.largo.db.jobs;

import dev.largo.db.support.AssignedIdEntity;
import dev.largo.db.support.Tenants;
import dev.largo.db.support.Timestamps;
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
@Entity
@Table(name = "jobs")
@DynamicUpdate
public class JobEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId = Tenants.LOCAL;

    @Convert(converter = JobStatusConverter.class)
    @Column(nullable = false, updatable = false)
    private JobStatus status = JobStatus.VALIDATING;

    @Column(name = "base_model_id", nullable = false)
    private String baseModelId;

    /** Null for a continual job, whose tasks name their training datasets ({@link JobTaskEntity}). */
    @Column(name = "training_dataset_id")
    private UUID trainingDatasetId;

    /** The whole create request as JSON text (jsonb). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String spec;

    @Column(name = "method_type", nullable = false)
    private String methodType;

    @Column(nullable = false)
    private long seed;

    private String suffix;

    @Column(nullable = false)
    private int priority;

    @Column(nullable = false, updatable = false)
    private int attempts;

    @Column(name = "max_attempts", nullable = false)
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
    private String errorCode;

    @Column(name = "error_message", updatable = false)
    private String errorMessage;

    @Column(name = "error_param", updatable = false)
    private String errorParam;

    @Column(name = "fine_tuned_adapter_id", updatable = false)
    private UUID fineTunedAdapterId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt = Timestamps.now();

    @Column(name = "started_at", updatable = false)
    private Instant startedAt;

    @Column(name = "finished_at", updatable = false)
    private Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt = createdAt;

    protected JobEntity() {
    }

    public JobEntity(UUID id) {
        this.id = id;
    }

    @PreUpdate
    void touch() {
        updatedAt = Timestamps.now();
    }

    @Override
    public UUID getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public JobStatus getStatus() {
        return status;
    }

    public void setStatus(JobStatus status) {
        this.status = status;
    }

    public String getBaseModelId() {
        return baseModelId;
    }

    public void setBaseModelId(String baseModelId) {
        this.baseModelId = baseModelId;
    }

    public UUID getTrainingDatasetId() {
        return trainingDatasetId;
    }

    public void setTrainingDatasetId(UUID trainingDatasetId) {
        this.trainingDatasetId = trainingDatasetId;
    }

    public String getSpec() {
        return spec;
    }

    public void setSpec(String spec) {
        this.spec = spec;
    }

    public String getMethodType() {
        return methodType;
    }

    public void setMethodType(String methodType) {
        this.methodType = methodType;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public String getSuffix() {
        return suffix;
    }

    public void setSuffix(String suffix) {
        this.suffix = suffix;
    }

    public int getPriority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    public int getAttempts() {
        return attempts;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getLeaseOwner() {
        return leaseOwner;
    }

    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public double getProgress() {
        return progress;
    }

    public Double getEtaSeconds() {
        return etaSeconds;
    }

    public Integer getCurrentEpoch() {
        return currentEpoch;
    }

    public Long getCurrentStep() {
        return currentStep;
    }

    public Long getTotalSteps() {
        return totalSteps;
    }

    public Integer getCurrentTask() {
        return currentTask;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    public String getErrorParam() {
        return errorParam;
    }

    public void setErrorParam(String errorParam) {
        this.errorParam = errorParam;
    }

    public UUID getFineTunedAdapterId() {
        return fineTunedAdapterId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(Instant finishedAt) {
        this.finishedAt = finishedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
