package dev.largo.db.models;

import dev.largo.db.support.AssignedIdEntity;
import dev.largo.db.support.Tenants;
import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A base model a job fine-tunes: a Hugging Face style {@code config.json} (kept verbatim as JSON text) and
 * safetensors weights in the artifact store. Ids are readable names for built-in models
 * ({@code vit-tiny-fashion}) and {@code model-<uuid>} for uploads.
 */
@Entity
@Table(name = "base_models")
public class BaseModelEntity extends AssignedIdEntity<String> {

    @Id
    private String id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId = Tenants.LOCAL;

    @Column(nullable = false)
    private String name;

    @Convert(converter = ModelArchitectureConverter.class)
    @Column(nullable = false)
    private ModelArchitecture architecture;

    @Column(name = "built_in", nullable = false)
    private boolean builtIn;

    /** The model's config.json as JSON text (stored as jsonb; PostgreSQL normalises whitespace and key order). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "config_json", nullable = false)
    private String configJson;

    @Column(name = "weights_artifact_id")
    private UUID weightsArtifactId;

    /** {@code tokenizer.json} of a text model; null for image models. */
    @Column(name = "tokenizer_artifact_id")
    private UUID tokenizerArtifactId;

    /** {@code tokenizer_config.json} of a text model, when it came with one. */
    @Column(name = "tokenizer_config_artifact_id")
    private UUID tokenizerConfigArtifactId;

    /** A built-in model's licence (SPDX id); null for uploads. */
    @Column(name = "license")
    private String license;

    @Column(name = "parameter_count", nullable = false)
    private long parameterCount;

    @Column(name = "num_labels", nullable = false)
    private int numLabels;

    @Column(name = "image_size")
    private Integer imageSize;

    /** The Hugging Face Hub id the weights came from, when the uploader named one. */
    @Column(name = "hub_id")
    private String hubId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();

    protected BaseModelEntity() {
    }

    public BaseModelEntity(String id) {
        this.id = id;
    }

    /** A fresh id for an uploaded model. */
    public static String newUploadedModelId() {
        return "model-" + UUID.randomUUID();
    }

    @Override
    public String getId() {
        return id;
    }

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getHubId() {
        return hubId;
    }

    public void setHubId(String hubId) {
        this.hubId = hubId;
    }

    /**
     * What an adapter of this model names as {@code base_model_name_or_path}: the Hub id when known (PEFT then
     * loads the base by itself), else this service's model id (the base is then {@code GET /v1/models/{id}/download}).
     */
    public String peftBaseName() {
        return hubId != null ? hubId : id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public ModelArchitecture getArchitecture() {
        return architecture;
    }

    public void setArchitecture(ModelArchitecture architecture) {
        this.architecture = architecture;
    }

    public boolean isBuiltIn() {
        return builtIn;
    }

    public void setBuiltIn(boolean builtIn) {
        this.builtIn = builtIn;
    }

    public String getConfigJson() {
        return configJson;
    }

    public void setConfigJson(String configJson) {
        this.configJson = configJson;
    }

    public UUID getWeightsArtifactId() {
        return weightsArtifactId;
    }

    public void setWeightsArtifactId(UUID weightsArtifactId) {
        this.weightsArtifactId = weightsArtifactId;
    }

    public long getParameterCount() {
        return parameterCount;
    }

    public void setParameterCount(long parameterCount) {
        this.parameterCount = parameterCount;
    }

    public int getNumLabels() {
        return numLabels;
    }

    public void setNumLabels(int numLabels) {
        this.numLabels = numLabels;
    }

    public Integer getImageSize() {
        return imageSize;
    }

    public void setImageSize(Integer imageSize) {
        this.imageSize = imageSize;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }

    public UUID getTokenizerArtifactId() {
        return tokenizerArtifactId;
    }

    public void setTokenizerArtifactId(UUID tokenizerArtifactId) {
        this.tokenizerArtifactId = tokenizerArtifactId;
    }

    public UUID getTokenizerConfigArtifactId() {
        return tokenizerConfigArtifactId;
    }

    public void setTokenizerConfigArtifactId(UUID tokenizerConfigArtifactId) {
        this.tokenizerConfigArtifactId = tokenizerConfigArtifactId;
    }

    public String getLicense() {
        return license;
    }

    public void setLicense(String license) {
        this.license = license;
    }
}
