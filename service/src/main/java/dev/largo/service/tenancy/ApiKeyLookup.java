package dev.largo.service.tenancy;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import lombok.RequiredArgsConstructor;

/** Finds the tenant of a presented token, by the token's hash (the only form the database knows it in). */
@Component
@RequiredArgsConstructor
public class ApiKeyLookup {

    /** A stored key: whose it is and whether it still opens the door. */
    public record KeyOwner(String tenantId, boolean revoked) {
    }

    private final JdbcTemplate jdbc;

    public Optional<KeyOwner> find(String token) {
        List<KeyOwner> found = jdbc.query("select tenant_id, revoked_at is not null from api_keys where token_hash = ?",
                (rs, n) -> new KeyOwner(rs.getString(1), rs.getBoolean(2)), ApiKeyTokens.hash(token));
        return found.stream().findFirst();
    }
}
