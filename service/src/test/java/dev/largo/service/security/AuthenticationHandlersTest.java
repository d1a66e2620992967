package dev.largo.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import tools.jackson.databind.json.JsonMapper;

/**
 * Decisions that need no database: administration does not exist without an administrator key (under any
 * spelling the route rules see as administration), a malformed header is never "no key", a presented key never
 * prints its secret, and the tenant is in the logging MDC for exactly the length of the request.
 */
class AuthenticationHandlersTest {

    private final ProblemWriter problems = new ProblemWriter(JsonMapper.builder().build());
    private final ApiSecurityProperties withoutAdminKey = new ApiSecurityProperties(SecurityMode.LOCAL, "");

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void administrationIsDisabledWithoutAnAdministratorKey() throws Exception {
        for (String path : List.of("/v1/tenants", "/v1/%74enants", "/v1/tenants/x/api-keys")) {
            MockHttpServletResponse anonymous = new MockHttpServletResponse();
            new SecurityRefusals(withoutAdminKey, problems).commence(request(path), anonymous,
                    new InsufficientAuthenticationException("no key"));
            assertThat(anonymous.getStatus()).as(path).isEqualTo(404);
            assertThat(anonymous.getContentType()).isEqualTo("application/problem+json");
            assertThat(anonymous.getContentAsString()).contains("largo.security.admin-key");
            MockHttpServletResponse tenant = new MockHttpServletResponse();
            new SecurityRefusals(withoutAdminKey, problems).handle(request(path), tenant, null);
            assertThat(tenant.getStatus()).as(path).isEqualTo(404);
        }
        MockHttpServletResponse api = new MockHttpServletResponse();
        new SecurityRefusals(withoutAdminKey, problems).commence(request("/v1/datasets"), api,
                new InsufficientAuthenticationException("no key"));
        assertThat(api.getStatus()).isEqualTo(401);
        assertThat(api.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"largo\"");
    }

    @Test
    void aMalformedHeaderIsRefusedAndAPresentedKeyNeverPrintsItsSecret() {
        BearerKeyConverter converter = new BearerKeyConverter();
        MockHttpServletRequest none = request("/v1/datasets");
        assertThat(converter.convert(none)).isNull();
        for (String header : List.of("Basic YTpi", "Bearer ", "Bearer", "lgo_abc", "Token lgo_abc")) {
            MockHttpServletRequest malformed = request("/v1/datasets");
            malformed.addHeader("Authorization", header);
            try {
                converter.convert(malformed);
                throw new AssertionError("accepted " + header);
            } catch (InvalidApiKeyException e) {
                assertThat(e.error()).isEqualTo("invalid_request");
            }
        }
        MockHttpServletRequest bearer = request("/v1/datasets");
        String secret = "lgo_" + "S".repeat(43);
        bearer.addHeader("Authorization", "bearer " + secret);
        PresentedApiKey key = (PresentedApiKey) converter.convert(bearer);
        assertThat(key.getCredentials()).isEqualTo(secret);
        assertThat(key.toString()).doesNotContain(secret.substring(12)).contains("lgo_SSSSSSSS");
    }

    @Test
    void theTenantIsInTheLoggingContextForTheLengthOfTheRequest() throws Exception {
        SecurityContextHolder.getContext().setAuthentication(
                UsernamePasswordAuthenticationToken.authenticated(new ActingTenant("t-1"), null, List.of()));
        AtomicReference<String> logged = new AtomicReference<>();
        new TenantLogContext().doFilter(request("/v1/datasets"), new MockHttpServletResponse(),
                (req, res) -> logged.set(MDC.get(TenantLogContext.MDC_TENANT)));
        assertThat(logged.get()).isEqualTo("t-1");
        assertThat(MDC.get(TenantLogContext.MDC_TENANT)).as("cleared after the request").isNull();
    }

    @Test
    void aShortAdministratorKeyIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiSecurityProperties(null, "short"))
                .hasMessageContaining("largo.security.admin-key");
    }

    private static MockHttpServletRequest request(String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setRequestURI(uri);
        return request;
    }
}
