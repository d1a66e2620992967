package dev.largo.service.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * A valid key on a route it has no right to: a tenant's key on tenant administration is forbidden (403); the
 * administrator key where a tenant is needed is answered 401 {@code invalid_token}, as the contract says: it is
 * no tenant's key, so for those routes it is no key at all.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final ApiSecurityProperties properties;
    private final ProblemWriter problems;

    ProblemAccessDeniedHandler(ApiSecurityProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (ApiRoutes.isAdministration(request)) {
            if (!properties.adminEnabled()) {
                AdministrationDisabled.write(problems, request, response);
            } else {
                problems.write(request, response, HttpStatus.FORBIDDEN, "admin-only", "Forbidden",
                        "a tenant's API key cannot manage tenants; use the administrator key");
            }
        } else {
            problems.unauthorized(request, response, "invalid_token",
                    "the administrator key manages tenants and acts for no tenant; send a tenant's API key");
        }
    }
}
