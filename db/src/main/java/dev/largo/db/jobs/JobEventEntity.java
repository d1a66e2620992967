package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One line of a job's event log. Read through JPA; written in batches by
 * {@link dev.largo.db.queue.ProgressWriter}. The increasing id is the pagination cursor.
 */
@Entity
@Table(name = "job_events")
public class JobEventEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    private Instant createdAt;

    @Convert(converter = EventLevelConverter.class)
    @Column(nullable = false)
    private EventLevel level;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String message;

    /** Optional structured payload as JSON text (jsonb). */
    @JdbcTypeCode(SqlTypes.JSON)
    private String data;

    protected JobEventEntity() {
    }

    public JobEventEntity(UUID jobId, EventLevel level, String type, String message, String data) {
        this.jobId = jobId;
        this.level = level;
        this.type = type;
        this.message = message;
        this.data = data;
    }

    public Long getId() {
        return id;
    }

    public UUID getJobId() {
        return jobId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public EventLevel getLevel() {
        return level;
    }

    public String getType() {
        return type;
    }

    public String getMessage() {
        return message;
    }

    public String getData() {
        return data;
    }
}
