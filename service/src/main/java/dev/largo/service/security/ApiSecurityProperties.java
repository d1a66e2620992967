package dev.largo.service.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call the API.
 *
 * @param mode     {@code local} (default): a request without an API key acts for the {@code local} tenant, one
 *                 with a key for the key's tenant; {@code api-keys}: a key is required
 * @param adminKey the administrator key that manages tenants and keys ({@code /v1/tenants}); unset or blank
 *                 disables those endpoints (404)
 */
@ConfigurationProperties("largo.security")
public record ApiSecurityProperties(SecurityMode mode, String adminKey) {

    /** Shorter admin keys are refused at start: the key is compared as it is, not hashed from a passphrase. */
    public static final int MIN_ADMIN_KEY_LENGTH = 16;

    public ApiSecurityProperties {
        if (mode == null) {
            mode = SecurityMode.LOCAL;
        }
        if (adminKey != null && adminKey.isBlank()) {
            adminKey = null;
        }
        if (adminKey != null && adminKey.strip().length() < MIN_ADMIN_KEY_LENGTH) {
            throw new IllegalArgumentException("largo.security.admin-key must be at least " + MIN_ADMIN_KEY_LENGTH
                    + " characters (e.g. openssl rand -base64 32)");
        }
        if (adminKey != null) {
            adminKey = adminKey.strip();
        }
    }

    public boolean adminEnabled() {
        return adminKey != null;
    }
}
