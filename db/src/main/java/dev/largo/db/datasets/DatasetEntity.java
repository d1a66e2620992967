package dev.largo.db.datasets;

import dev.largo.db.support.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import lombok.AccessLevel;
import lombok.Getter;
import lombok.Setter;

/** An uploaded, validated dataset; its bytes live in the artifact store under {@link #getArtifactId()}. */
@Getter
@Setter
@Entity
@Table(name = "datasets")
public class DatasetEntity extends TenantOwnedEntity<UUID> {

    @Id
    @Setter(AccessLevel.NONE)
    private UUID id;

    @Column(nullable = false)
    private String name;

    @Convert(converter = DatasetTaskTypeConverter.class)
    @Column(name = "task_type", nullable = false)
    private DatasetTaskType taskType;

    @Convert(converter = DatasetFormatConverter.class)
    @Column(nullable = false)
    private DatasetFormat format;

    private String split;

    private String domain;

    @Column(name = "artifact_id", nullable = false)
    private UUID artifactId;

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(nullable = false)
    private String sha256;

    @Column(name = "example_count", nullable = false)
    private int exampleCount;

    /** Label names, index = label id. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "class_names", nullable = false)
    private List<String> classNames = new ArrayList<>();

    /** Examples per label name. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "label_counts", nullable = false)
    private Map<String, Long> labelCounts = new LinkedHashMap<>();

    @Column(name = "image_height")
    private Integer imageHeight;

    @Column(name = "image_width")
    private Integer imageWidth;

    private Integer channels;

    protected DatasetEntity() {
    }

    public DatasetEntity(UUID id) {
        this.id = id;
    }
}
