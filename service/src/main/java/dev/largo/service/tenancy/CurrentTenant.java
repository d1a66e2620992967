package dev.largo.service.tenancy;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.largo.db.support.Tenants;

/**
 * The tenant a request acts for. Every lookup and insert goes through here; {@link BearerAuthentication}
 * decides the answer for each API request from its key (or the local mode's default). Code that runs outside
 * a request (start-up) acts for the {@code local} tenant.
 */
@Component
public class CurrentTenant {

    static final String ATTRIBUTE = CurrentTenant.class.getName();

    public String id() {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            return Tenants.LOCAL;
        }
        Object tenant = request.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (tenant == null) {
            // never guess a tenant for a request: only the authentication filter may say which it is
            throw new IllegalStateException("no tenant was authenticated for this request");
        }
        return (String) tenant;
    }
}
