package dev.largo.db.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.NoRepositoryBean;

/**
 * Repository of a tenant-owned resource (entity with {@code id}, {@code tenantId} and {@code createdAt}):
 * tenant-checked lookup and keyset (cursor) pagination, newest first.
 *
 * <p>{@code findByIdAndTenantId} is strict (the tenant's own rows: what it may change or delete); pages and
 * {@link #findVisibleTo} also hold the rows of the {@link Tenants#SHARED} owner (built-ins), which every tenant
 * reads. Only base models and datasets have shared rows.
 *
 * <p>A page is ordered by {@code (created_at desc, id desc)}; the cursor is the id of the last item of the
 * previous page, so pages stay stable while rows are inserted (unlike offsets).
 */
@NoRepositoryBean
public interface TenantScopedRepository<T, ID> extends JpaRepository<T, ID> {

    Optional<T> findByIdAndTenantId(ID id, String tenantId);

    boolean existsByIdAndTenantId(ID id, String tenantId);

    /** The rows a tenant reads: its own and the shared ones. */
    String VISIBLE = "(e.tenantId = :tenantId or e.tenantId = '" + Tenants.SHARED + "')";

    /** A row the tenant owns or a shared one. */
    @Query("select e from #{#entityName} e where e.id = :id and " + VISIBLE)
    Optional<T> findVisibleTo(ID id, String tenantId);

    @Query("select e from #{#entityName} e where " + VISIBLE + " order by e.createdAt desc, e.id desc")
    List<T> findFirstPage(String tenantId, Limit limit);

    @Query("select e from #{#entityName} e where " + VISIBLE
            + " and (e.createdAt < :createdAt or (e.createdAt = :createdAt and e.id < :id))"
            + " order by e.createdAt desc, e.id desc")
    List<T> findPageAfter(String tenantId, Instant createdAt, ID id, Limit limit);

    @Query("select e.createdAt from #{#entityName} e where " + VISIBLE + " and e.id = :id")
    Optional<Instant> findCreatedAt(String tenantId, ID id);

    /**
     * One page of the resources the tenant reads (its own and the shared ones), newest first.
     *
     * @param after id of the last item of the previous page, or null for the first page
     * @param limit page size (the caller validates its range)
     * @throws UnknownCursorException if {@code after} is not one of the resources the tenant reads
     */
    default List<T> findPage(String tenantId, ID after, int limit) {
        if (after == null) {
            return findFirstPage(tenantId, Limit.of(limit));
        }
        Instant cursorTime = findCreatedAt(tenantId, after).orElseThrow(() -> new UnknownCursorException(after));
        return findPageAfter(tenantId, cursorTime, after, Limit.of(limit));
    }
}
