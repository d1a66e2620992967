package dev.largo.db.idempotency;

import dev.largo.db.support.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import lombok.Getter;

/**
 * What a POST with an {@code Idempotency-Key} created: a replay with the same key and the same request hash
 * answers with the same resource and status; the same key with a different request is a conflict.
 * Insert with {@link IdempotencyRecordRepository#insertIfAbsent}, which is race-free.
 */
@Getter
@Entity
@Table(name = "idempotency_keys")
public class IdempotencyRecord {

    @EmbeddedId
    private IdempotencyKeyId id;

    @Column(name = "request_hash", nullable = false)
    private String requestHash;

    @Column(name = "resource_type", nullable = false)
    private String resourceType;

    @Column(name = "resource_id", nullable = false)
    private String resourceId;

    @Column(name = "response_status", nullable = false)
    private int responseStatus;

    /** The first response's body (JSON); null until it is recorded, and for keys older than the column. */
    @Column(name = "response_body")
    private String responseBody;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();

    protected IdempotencyRecord() {
    }
}
