package dev.largo.service.security;

/** The two roles a caller can hold; the route rules and the method rules are written with these. */
public final class Roles {

    /** Acts for a tenant: a tenant's API key, or no key in the local mode. */
    public static final String TENANT = "TENANT";
    /** Holds the administrator key. */
    public static final String ADMIN = "ADMIN";

    private Roles() {
    }

    public static String authority(String role) {
        return "ROLE_" + role;
    }
}
