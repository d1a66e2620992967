package dev.largo.db.jobs;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import lombok.Getter;

/**
 * One line of a job's event log. Read through JPA; written in batches by
 * {@link dev.largo.db.queue.ProgressWriter}. The increasing id is the pagination cursor.
 */
@Getter
@Entity
@Table(name = "job_events")
public class JobEventEntity extends JobLogRow {

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
        super(jobId);
        this.level = level;
        this.type = type;
        this.message = message;
        this.data = data;
    }
}
