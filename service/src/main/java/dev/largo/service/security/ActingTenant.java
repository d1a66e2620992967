package dev.largo.service.security;

/**
 * The principal of a request that acts for a tenant: the tenant of the presented API key, or in the local mode the
 * {@code local} tenant of a request without a key. {@link dev.largo.service.tenancy.CurrentTenant} reads it.
 */
public record ActingTenant(String id) {
}
