package dev.largo.db.adapters;

import dev.largo.db.support.AssignedIdEntity;
import dev.largo.db.support.Tenants;
import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The result of a succeeded job: a PEFT adapter zip and optionally the merged model, both artifacts. */
@Entity
@Table(name = "adapters")
public class AdapterEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId = Tenants.LOCAL;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(name = "base_model_id", nullable = false)
    private String baseModelId;

    @Column(name = "peft_artifact_id", nullable = false)
    private UUID peftArtifactId;

    @Column(name = "merged_artifact_id")
    private UUID mergedArtifactId;

    /** The task head at the fine-tuning phase's start (WiSE-FT's start with the base weights); null when not kept. */
    @Column(name = "initial_head_artifact_id")
    private UUID initialHeadArtifactId;

    @Column(name = "method_type", nullable = false)
    private String methodType;

    @Column(nullable = false)
    private int rank;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();

    protected AdapterEntity() {
    }

    public AdapterEntity(UUID id) {
        this.id = id;
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

    public UUID getJobId() {
        return jobId;
    }

    public void setJobId(UUID jobId) {
        this.jobId = jobId;
    }

    public String getBaseModelId() {
        return baseModelId;
    }

    public void setBaseModelId(String baseModelId) {
        this.baseModelId = baseModelId;
    }

    public UUID getPeftArtifactId() {
        return peftArtifactId;
    }

    public void setPeftArtifactId(UUID peftArtifactId) {
        this.peftArtifactId = peftArtifactId;
    }

    public UUID getMergedArtifactId() {
        return mergedArtifactId;
    }

    public void setMergedArtifactId(UUID mergedArtifactId) {
        this.mergedArtifactId = mergedArtifactId;
    }

    public UUID getInitialHeadArtifactId() {
        return initialHeadArtifactId;
    }

    public void setInitialHeadArtifactId(UUID initialHeadArtifactId) {
        this.initialHeadArtifactId = initialHeadArtifactId;
    }

    public String getMethodType() {
        return methodType;
    }

    public void setMethodType(String methodType) {
        this.methodType = methodType;
    }

    public int getRank() {
        return rank;
    }

    public void setRank(int rank) {
        this.rank = rank;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }
}
