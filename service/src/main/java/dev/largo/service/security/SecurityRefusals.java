package dev.largo.service.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import lombok.AccessLevel;
import lombok.RequiredArgsConstructor;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Every refusal Spring Security makes, as problem+json. Tenant administration without a configured administrator
 * key does not exist (404), whoever asks and with whatever key.
 * <ul>
 *   <li>No usable key ({@link #commence}): 401 with a Bearer challenge for a missing key where one is needed, a
 *       malformed header, an unknown or revoked key.</li>
 *   <li>A valid key on a route it has no right to ({@link #handle}): a tenant's key on tenant administration is
 *       forbidden (403); the administrator key where a tenant is needed is answered 401 {@code invalid_token}, as
 *       the contract says: it is no tenant's key, so for those routes it is no key at all.</li>
 * </ul>
 */
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
final class SecurityRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ApiSecurityProperties properties;
    private final ProblemWriter problems;

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        boolean administration = ApiRoutes.isAdministration(request);
        if (administration && !properties.adminEnabled()) {
            AdministrationDisabled.write(problems, request, response);
        } else if (failure instanceof InvalidApiKeyException invalid) {
            problems.unauthorized(request, response, invalid.error(), invalid.getMessage());
        } else if (administration) {
            problems.unauthorized(request, response, null, "tenant administration needs the administrator key");
        } else {
            problems.unauthorized(request, response, null,
                    "an API key is required: send 'Authorization: Bearer <API key>'");
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (!ApiRoutes.isAdministration(request)) {
            problems.unauthorized(request, response, "invalid_token",
                    "the administrator key manages tenants and acts for no tenant; send a tenant's API key");
        } else if (!properties.adminEnabled()) {
            AdministrationDisabled.write(problems, request, response);
        } else {
            problems.write(request, response, HttpStatus.FORBIDDEN, "admin-only", "Forbidden",
                    "a tenant's API key cannot manage tenants; use the administrator key");
        }
    }
}
