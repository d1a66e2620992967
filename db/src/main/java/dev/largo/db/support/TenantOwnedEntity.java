package dev.largo.db.support;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import lombok.Getter;
import lombok.Setter;

/**
 * Base of the resources a tenant owns (datasets, base models, jobs, adapters): an application-assigned id, the
 * owning tenant ({@code local} in the default mode) and the creation time, which orders every list newest first.
 */
@Getter
@Setter
@MappedSuperclass
public abstract class TenantOwnedEntity<ID> extends AssignedIdEntity<ID> {

    @Column(name = "tenant_id", nullable = false)
    private String tenantId = Tenants.LOCAL;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt = Timestamps.now();
}
