package dev.largo.db.models;

import dev.largo.db.support.TenantScopedRepository;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.Query;

/**
 * Base models. Built-in models belong to the {@code local} tenant but are visible to every tenant, hence
 * the {@code visibleTo} lookups next to the strictly tenant-scoped ones.
 */
public interface BaseModelRepository extends TenantScopedRepository<BaseModelEntity, String> {

    @Query("select m from BaseModelEntity m where m.id = :id and (m.tenantId = :tenantId or m.builtIn = true)")
    Optional<BaseModelEntity> findVisibleTo(String id, String tenantId);

    List<BaseModelEntity> findByBuiltInTrueOrderById();
}
