package dev.largo.db.support;

/** Tenant identifiers shared by every module. */
public final class Tenants {
    /** The single tenant of the default (embedded) mode; also the column default in the schema. */
    public static final String LOCAL = "local";
    /**
     * The owner of what ships with the service (the built-in base models and the sample datasets): every
     * tenant sees these rows, none owns them, so none can delete them. No request ever acts as this tenant.
     */
    public static final String SHARED = "shared";

    private Tenants() {
    }
}
