package dev.largo.service.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 with a Bearer challenge for a request without a usable key: a missing key where one is needed, a
 * malformed header, an unknown or revoked key. Tenant administration without a configured administrator key
 * does not exist (404), whoever asks.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final ApiSecurityProperties properties;
    private final ProblemWriter problems;

    ProblemAuthenticationEntryPoint(ApiSecurityProperties properties, ProblemWriter problems) {
        this.properties = properties;
        this.problems = problems;
    }

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
}
