package dev.largo.service.tenancy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.largo.api.model.ApiKey;
import dev.largo.api.model.ApiKeyList;
import dev.largo.api.model.CreatedApiKey;
import dev.largo.api.model.Tenant;
import dev.largo.api.model.TenantList;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.paging.Page;
import dev.largo.service.security.Roles;
import lombok.RequiredArgsConstructor;

/**
 * What the administrator key may do: create and list tenants, and create, list and revoke their keys. A new
 * key's token leaves the service once, in the creation response; the table keeps its hash and prefix.
 *
 * <p>Every method checks the administrator role itself (method security), a second check behind the route rule
 * of {@code WebSecurityConfiguration}: a route that rule does not cover still cannot reach these.
 */
@Service
@PreAuthorize("hasRole('" + Roles.ADMIN + "')")
@RequiredArgsConstructor
public class TenantAdministration {

    private static final String KEY_COLUMNS = "id, tenant_id, name, prefix, created_at, revoked_at";

    private final JdbcTemplate jdbc;

    @Transactional
    public Tenant createTenant(String name) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into tenants (id, name) values (?, ?)", id, name);
        return tenant(id);
    }

    @Transactional(readOnly = true)
    public TenantList listTenants(String after, int limit) {
        List<Tenant> rows;
        if (after == null) {
            rows = jdbc.query("select id, name, created_at from tenants order by created_at desc, id desc limit ?",
                    TenantAdministration::toTenant, limit + 1);
        } else {
            Integer known = jdbc.queryForObject("select count(*) from tenants where id = ?", Integer.class, after);
            if (known == 0) {
                throw ApiProblem.badParam("after", "no such item to page after: '" + after + "'");
            }
            rows = jdbc.query("select id, name, created_at from tenants"
                    + " where (created_at, id) < (select created_at, id from tenants where id = ?)"
                    + " order by created_at desc, id desc limit ?", TenantAdministration::toTenant, after, limit + 1);
        }
        Page<Tenant> page = Page.of(rows, limit);
        return new TenantList()
                ._object(TenantList.ObjectEnum.LIST)
                .data(page.items())
                .hasMore(page.hasMore())
                .nextAfter(page.nextAfter(Tenant::getId));
    }

    @Transactional
    public CreatedApiKey createKey(String tenantId, String name) {
        tenant(tenantId);
        String token = ApiKeyTokens.generate();
        UUID id = UUID.randomUUID();
        jdbc.update("insert into api_keys (id, tenant_id, name, prefix, token_hash) values (?, ?, ?, ?, ?)",
                id, tenantId, name, ApiKeyTokens.shownPrefix(token), ApiKeyTokens.hash(token));
        ApiKey key = key(tenantId, id);
        return new CreatedApiKey(key.getId(), CreatedApiKey.ObjectEnum.API_KEY, key.getTenantId(), key.getName(),
                key.getPrefix(), key.getCreatedAt(), key.getRevokedAt(), token);
    }

    @Transactional(readOnly = true)
    public ApiKeyList listKeys(String tenantId) {
        tenant(tenantId);
        return new ApiKeyList()._object(ApiKeyList.ObjectEnum.LIST).data(jdbc.query("select " + KEY_COLUMNS
                + " from api_keys where tenant_id = ? order by created_at, id", TenantAdministration::toKey, tenantId));
    }

    /** Revokes the key (once: a revoked key keeps its first revocation time). */
    @Transactional
    public ApiKey revokeKey(String tenantId, UUID keyId) {
        tenant(tenantId);
        jdbc.update("update api_keys set revoked_at = now() where id = ? and tenant_id = ? and revoked_at is null",
                keyId, tenantId);
        return key(tenantId, keyId);
    }

    private Tenant tenant(String id) {
        return jdbc.query("select id, name, created_at from tenants where id = ?", TenantAdministration::toTenant, id)
                .stream().findFirst().orElseThrow(() -> ApiProblem.notFound("tenant", id));
    }

    private ApiKey key(String tenantId, UUID id) {
        return jdbc.query("select " + KEY_COLUMNS + " from api_keys where id = ? and tenant_id = ?",
                TenantAdministration::toKey, id, tenantId).stream().findFirst()
                .orElseThrow(() -> ApiProblem.notFound("API key of tenant " + tenantId, id));
    }

    private static Tenant toTenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getString("id"), Tenant.ObjectEnum.TENANT, rs.getString("name"), utc(rs, "created_at"));
    }

    private static ApiKey toKey(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getObject("id", UUID.class), ApiKey.ObjectEnum.API_KEY, rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("prefix"), utc(rs, "created_at"), utc(rs, "revoked_at"));
    }

    private static OffsetDateTime utc(ResultSet rs, String column) throws SQLException {
        Timestamp time = rs.getTimestamp(column);
        return time == null ? null : time.toInstant().atOffset(ZoneOffset.UTC);
    }
}
