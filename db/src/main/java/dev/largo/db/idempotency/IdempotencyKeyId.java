package dev.largo.db.idempotency;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import java.io.Serializable;
import lombok.AccessLevel;
import lombok.AllArgsConstructor;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.NoArgsConstructor;

/** Primary key of an idempotency record: keys are unique per tenant. */
@Embeddable
@Getter
@EqualsAndHashCode
@NoArgsConstructor(access = AccessLevel.PROTECTED)
@AllArgsConstructor
public class IdempotencyKeyId implements Serializable {

    @Column(name = "tenant_id", nullable = false)
    private String tenantId;

    @Column(name = "key", nullable = false)
    private String key;

    @Override
    public String toString() {
        return tenantId + "/" + key;
    }
}
