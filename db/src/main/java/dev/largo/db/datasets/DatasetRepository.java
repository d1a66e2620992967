package dev.largo.db.datasets;

import dev.largo.db.support.TenantScopedRepository;
import java.util.UUID;

public interface DatasetRepository extends TenantScopedRepository<DatasetEntity, UUID> {
}
