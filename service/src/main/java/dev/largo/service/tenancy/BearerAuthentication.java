package dev.largo.service.tenancy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.ObjectMapper;

import dev.largo.db.support.Tenants;
import dev.largo.service.errors.ProblemResponses;

/**
 * Decides who an API request ({@code /v1/...}) acts for, from its {@code Authorization: Bearer} token:
 * <ul>
 * <li>a tenant's key: that tenant (in every mode), unless the key is unknown or revoked (401);</li>
 * <li>no key: the {@code local} tenant in the local mode, 401 in the api-keys mode;</li>
 * <li>{@code /v1/tenants/...}: only the administrator key (401 without a valid key, 403 with a tenant's key, 404
 * when no administrator key is configured); the administrator key acts for no tenant anywhere else (401).</li>
 * </ul>
 * The tenant goes into a request attribute ({@link CurrentTenant}) and into the logging MDC under
 * {@value #MDC_TENANT} for the length of the request.
 *
 * <p>A servlet filter rather than Spring Security: there is one credential type, a hash lookup, and no
 * sessions, CSRF (no cookies are used) or method rules, while every refusal must be this API's problem+json;
 * Security's filter chain would be configured mostly to switch its own behaviour off.
 */
public class BearerAuthentication extends OncePerRequestFilter {

    public static final String MDC_TENANT = "tenant";
    /** What the MDC says for requests of the administrator key, which acts for no tenant. */
    static final String ADMIN = "admin";
    static final String ADMIN_PATH = "/v1/tenants";

    private static final Logger log = LoggerFactory.getLogger(BearerAuthentication.class);
    private static final String BEARER = "Bearer ";

    private final ApiSecurityProperties properties;
    private final ApiKeyLookup keys;
    private final ObjectMapper json;

    public BearerAuthentication(ApiSecurityProperties properties, ApiKeyLookup keys, ObjectMapper json) {
        this.properties = properties;
        this.keys = keys;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String token = null;
        if (header != null) {
            if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
                unauthorized(request, response, "invalid_request",
                        "the Authorization header must be 'Bearer <API key>'");
                return;
            }
            token = header.substring(BEARER.length()).strip();
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean admin = path.equals(ADMIN_PATH) || path.startsWith(ADMIN_PATH + "/");
        String actor = admin ? administrator(token, request, response) : tenant(token, request, response);
        if (actor == null) {
            return; // refused, the response is written
        }
        if (!admin) {
            request.setAttribute(CurrentTenant.ATTRIBUTE, actor);
        }
        MDC.put(MDC_TENANT, actor);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_TENANT);
        }
    }

    /** The tenant the request acts for, or null once a refusal is written. */
    private String tenant(String token, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (token == null) {
            if (properties.mode() == SecurityMode.LOCAL) {
                return Tenants.LOCAL;
            }
            unauthorized(request, response, null, "an API key is required: send 'Authorization: Bearer <API key>'");
            return null;
        }
        if (isAdminKey(token)) {
            unauthorized(request, response, "invalid_token", "the administrator key manages tenants and acts for"
                    + " none; send a tenant's API key");
            return null;
        }
        Optional<ApiKeyLookup.KeyOwner> owner = keys.find(token);
        if (owner.isEmpty() || owner.get().revoked()) {
            unauthorized(request, response, "invalid_token",
                    owner.isEmpty() ? "unknown API key" : "the API key has been revoked");
            return null;
        }
        return owner.get().tenantId();
    }

    /** {@link #ADMIN} for the administrator key, or null once a refusal is written. */
    private String administrator(String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!properties.adminEnabled()) {
            problem(request, response, HttpStatus.NOT_FOUND, "not-found", "Not found", "tenant administration is"
                    + " disabled: no administrator key is configured (largo.security.admin-key)", null);
            return null;
        }
        if (token == null) {
            unauthorized(request, response, null, "tenant administration needs the administrator key");
            return null;
        }
        if (isAdminKey(token)) {
            return ADMIN;
        }
        if (keys.find(token).filter(owner -> !owner.revoked()).isPresent()) {
            problem(request, response, HttpStatus.FORBIDDEN, "admin-only", "Forbidden",
                    "a tenant's API key cannot manage tenants; use the administrator key", null);
            return null;
        }
        unauthorized(request, response, "invalid_token", "not the administrator key");
        return null;
    }

    private boolean isAdminKey(String token) {
        return properties.adminEnabled() && ApiKeyTokens.sameSecret(token, properties.adminKey());
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String error, String detail)
            throws IOException {
        String challenge = "Bearer realm=\"largo\"" + (error == null ? "" : ", error=\"" + error + "\"");
        problem(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, challenge);
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
            String title, String detail, String challenge) throws IOException {
        log.info("refused {} {}: {} {}", request.getMethod(), request.getRequestURI(), status.value(), detail);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemResponses.TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (challenge != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        json.writeValue(response.getOutputStream(), body);
    }
}
