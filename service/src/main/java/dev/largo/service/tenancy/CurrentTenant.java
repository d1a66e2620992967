package dev.largo.service.tenancy;

import org.springframework.stereotype.Component;

import dev.largo.db.support.Tenants;

/**
 * The tenant a request acts for. Every lookup and insert goes through here, so that bearer API keys (each
 * tenant seeing only its own resources) replace this single-tenant answer without touching the controllers.
 */
@Component
public class CurrentTenant {

    public String id() {
        return Tenants.LOCAL;
    }
}
