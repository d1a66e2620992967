package dev.largo.db.datasets;

import dev.largo.db.support.AssignedIdEntity;
import dev.largo.db.support.Tenants;
import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An uploaded, validated dataset; its bytes live in the artifact store under {@link #getArtifactId()}. */
@Entity
@Table(name = "datasets")
public class DatasetEntity extends AssignedIdEntity<UUID> {

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false)
    private String tenantId = Tenants.LOCAL;

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

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();

    protected DatasetEntity() {
    }

    public DatasetEntity(UUID id) {
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

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DatasetTaskType getTaskType() {
        return taskType;
    }

    public void setTaskType(DatasetTaskType taskType) {
        this.taskType = taskType;
    }

    public DatasetFormat getFormat() {
        return format;
    }

    public void setFormat(DatasetFormat format) {
        this.format = format;
    }

    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
    }

    public UUID getArtifactId() {
        return artifactId;
    }

    public void setArtifactId(UUID artifactId) {
        this.artifactId = artifactId;
    }

    public long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public int getExampleCount() {
        return exampleCount;
    }

    public void setExampleCount(int exampleCount) {
        this.exampleCount = exampleCount;
    }

    public List<String> getClassNames() {
        return classNames;
    }

    public void setClassNames(List<String> classNames) {
        this.classNames = classNames;
    }

    public Map<String, Long> getLabelCounts() {
        return labelCounts;
    }

    public void setLabelCounts(Map<String, Long> labelCounts) {
        this.labelCounts = labelCounts;
    }

    public Integer getImageHeight() {
        return imageHeight;
    }

    public void setImageHeight(Integer imageHeight) {
        this.imageHeight = imageHeight;
    }

    public Integer getImageWidth() {
        return imageWidth;
    }

    public void setImageWidth(Integer imageWidth) {
        this.imageWidth = imageWidth;
    }

    public Integer getChannels() {
        return channels;
    }

    public void setChannels(Integer channels) {
        this.channels = channels;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
    }
}
