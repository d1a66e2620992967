package dev.largo.service.tenancy;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;

import dev.largo.db.support.Tenants;
import dev.largo.service.security.ActingTenant;

/**
 * The tenant a request acts for. Every lookup and insert goes through here; Spring Security decides the answer
 * for each API request from its key (or the local mode's default) and the route rules let only callers acting
 * for a tenant reach the code that asks. Code that runs outside a request (start-up) acts for the {@code local}
 * tenant.
 */
@Component
public class CurrentTenant {

    public String id() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller != null && caller.getPrincipal() instanceof ActingTenant tenant) {
            return tenant.id();
        }
        if (RequestContextHolder.getRequestAttributes() == null) {
            return Tenants.LOCAL;
        }
        // never guess a tenant for a request: only the authentication may say which it is
        throw new IllegalStateException("no tenant was authenticated for this request");
    }
}
