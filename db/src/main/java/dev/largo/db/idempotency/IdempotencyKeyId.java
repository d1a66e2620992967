package dev.largo.db.idempotency;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import java.util.Objects;

/** Primary key of an idempotency record: keys are unique per tenant. */
@Embeddable
public class IdempotencyKeyId implements Serializable {

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "key", nullable = false)
    private String key;

    protected IdempotencyKeyId() {
    }

    public IdempotencyKeyId(String tenantId, String key) {
        this.tenantId = tenantId;
        this.key = key;
    }

    public String getTenantId() {
        return tenantId;
    }

    public String getKey() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdempotencyKeyId other && tenantId.equals(other.tenantId) && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenantId, key);
    }

    @Override
    public String toString() {
        return tenantId + "/" + key;
    }
}
