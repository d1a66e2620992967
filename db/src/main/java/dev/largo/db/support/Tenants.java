package dev.largo.db.support;

/** Tenant identifiers shared by every module. */
public final class Tenants {
    /** The single tenant of the default (embedded) mode; also the column default in the schema. */
    public static final String LOCAL = "local";

    private Tenants() {
    }
}
