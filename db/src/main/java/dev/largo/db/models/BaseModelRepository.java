package dev.largo.db.models;

import dev.largo.db.support.TenantScopedRepository;
import java.util.List;

/**
 * Base models. Built-in models belong to the {@link dev.largo.db.support.Tenants#SHARED} owner and are visible
 * to every tenant ({@link #findVisibleTo}), next to the strictly tenant-scoped lookups.
 */
public interface BaseModelRepository extends TenantScopedRepository<BaseModelEntity, String> {

    List<BaseModelEntity> findByBuiltInTrueOrderById();
}
