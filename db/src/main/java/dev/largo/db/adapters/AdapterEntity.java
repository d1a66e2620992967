package dev.largo.db.adapters;

import dev.largo.db.support.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.Setter;

/** The result of a succeeded job: a PEFT adapter zip and optionally the merged model, both artifacts. */
@Getter
@Setter
@Entity
@Table(name = "adapters")
public class AdapterEntity extends TenantOwnedEntity<UUID> {

    @Id
    @Setter(AccessLevel.NONE)
    private UUID id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(name = "base_model_id", nullable = false)
    private String baseModelId;

    @Column(name = "peft_artifact_id", nullable = false)
    private UUID peftArtifactId;

    @Column(name = "merged_artifact_id")
    private UUID mergedArtifactId;

    @Column(name = "method_type", nullable = false)
    private String methodType;

    @Column(nullable = false)
    private int rank;

    protected AdapterEntity() {
    }

    public AdapterEntity(UUID id) {
        this.id = id;
    }
}
