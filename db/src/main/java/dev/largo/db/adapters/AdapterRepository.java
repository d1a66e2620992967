package dev.largo.db.adapters;

import dev.largo.db.support.TenantScopedRepository;
import java.util.Optional;
import java.util.UUID;

public interface AdapterRepository extends TenantScopedRepository<AdapterEntity, UUID> {

    Optional<AdapterEntity> findFirstByJobIdOrderByCreatedAtDesc(UUID jobId);
}
