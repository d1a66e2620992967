package dev.largo.db.adapters;

import dev.largo.db.support.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import lombok.Getter;
import lombok.Setter;

/** The result of a succeeded job: a PEFT adapter zip and optionally the merged model, both artifacts. */
@Getter
@Entity
@Table(name = "adapters")
public class AdapterEntity extends TenantOwnedEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "job_id", nullable = false)
    @Setter
    private UUID jobId;

    @Column(name = "base_model_id", nullable = false)
    @Setter
    private String baseModelId;

    @Column(name = "peft_artifact_id", nullable = false)
    @Setter
    private UUID peftArtifactId;

    @Column(name = "merged_artifact_id")
    @Setter
    private UUID mergedArtifactId;

    @Column(name = "method_type", nullable = false)
    @Setter
    private String methodType;

    @Column(nullable = false)
    @Setter
    private int rank;

    protected AdapterEntity() {
    }

    public AdapterEntity(UUID id) {
        this.id = id;
    }
}
