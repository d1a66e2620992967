package dev.largo.service.security;

/** How a request without an API key is treated ({@code largo.security.mode}). */
public enum SecurityMode {
    /** The default single-user mode: a request without a key acts for the {@code local} tenant. */
    LOCAL,
    /** Deployed: every request to the API needs a tenant's key (401 without one). */
    API_KEYS
}
