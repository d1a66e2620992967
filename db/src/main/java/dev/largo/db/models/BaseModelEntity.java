package dev.largo.db.models;

import dev.largo.db.support.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.Setter;

/**
 * A base model a job fine-tunes: a Hugging Face style {@code config.json} (kept verbatim as JSON text) and
 * safetensors weights in the artifact store. Ids are readable names for built-in models
 * ({@code vit-tiny-fashion}) and {@code model-<uuid>} for uploads.
 */
@Getter
@Setter
@Entity
@Table(name = "base_models")
public class BaseModelEntity extends TenantOwnedEntity<String> {

    @Id
    @Setter(AccessLevel.NONE)
    private String id;

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
    @Setter
    private UUID tokenizerArtifactId;

    /** {@code tokenizer_config.json} of a text model, when it came with one. */
    @Column(name = "tokenizer_config_artifact_id")
    @Setter
    private UUID tokenizerConfigArtifactId;

    /** A built-in model's licence (SPDX id); null for uploads. */
    @Column(name = "license")
    @Setter
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

    protected BaseModelEntity() {
    }

    public BaseModelEntity(String id) {
        this.id = id;
    }

    /** A fresh id for an uploaded model. */
    public static String newUploadedModelId() {
        return "model-" + UUID.randomUUID();
    }

    /**
     * What an adapter of this model names as {@code base_model_name_or_path}: the Hub id when known (PEFT then
     * loads the base by itself), else this service's model id (the base is then {@code GET /v1/models/{id}/download}).
     */
    public String peftBaseName() {
        return hubId != null ? hubId : id;
    }
}
