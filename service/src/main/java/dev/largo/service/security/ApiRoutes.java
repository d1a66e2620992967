package dev.largo.service.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The route groups authorization is decided on. They match the path as Spring MVC routes it: parsed into
 * segments, each percent-decoded ({@code /v1/%74enants} is {@code /v1/tenants}), so a request cannot reach a
 * handler under a spelling the rules do not see. (Spellings MVC would not route the same way, such as
 * {@code ;params}, {@code //}, dot segments or an encoded {@code /}, are refused before by the firewall.)
 */
final class ApiRoutes {

    /** Tenant administration: the administrator key only. */
    static final String ADMINISTRATION = "/v1/tenants/**";
    /** The rest of the API: a caller acting for a tenant. */
    static final String API = "/v1/**";
    /**
     * Open to everyone in every mode: the dashboard's files (it asks for a key itself), the API docs and the
     * contract, health and metrics. Anything else falls under the API's rule (deny by default).
     */
    static final String[] PUBLIC = {"/", "/index.html", "/app.js", "/style.css", "/js/**", "/webjars/**",
        "/docs", "/docs/**", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs/**", "/actuator/**", "/error"};

    /** The API docs (Swagger UI), which get a Content-Security-Policy of their own. */
    static final RequestMatcher DOCS = new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/docs"),
            PathPatternRequestMatcher.withDefaults().matcher("/docs/**"),
            PathPatternRequestMatcher.withDefaults().matcher("/swagger-ui/**"));

    private static final RequestMatcher ADMINISTRATION_MATCHER =
            PathPatternRequestMatcher.withDefaults().matcher(ADMINISTRATION);

    private ApiRoutes() {
    }

    static boolean isAdministration(HttpServletRequest request) {
        return ADMINISTRATION_MATCHER.matches(request);
    }
}
