package dev.largo.service.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

/**
 * The filter's decisions that need no database: administration disabled without an administrator key, the
 * local mode's default tenant, and the tenant in the logging MDC for exactly the length of the request.
 */
class BearerAuthenticationTest {

    private final BearerAuthentication withoutAdminKey = new BearerAuthentication(
            new ApiSecurityProperties(SecurityMode.LOCAL, ""), null, JsonMapper.builder().build());

    @Test
    void administrationIsDisabledWithoutAnAdministratorKey() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        withoutAdminKey.doFilter(new MockHttpServletRequest("POST", "/v1/tenants"), response,
                (req, res) -> { throw new AssertionError("must not reach the controller"); });
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getContentType()).isEqualTo("application/problem+json");
        assertThat(response.getContentAsString()).contains("largo.security.admin-key");
    }

    @Test
    void theLocalModeActsForTheLocalTenantAndLogsIt() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1/datasets");
        AtomicReference<String> logged = new AtomicReference<>();
        withoutAdminKey.doFilter(request, new MockHttpServletResponse(),
                (req, res) -> logged.set(MDC.get(BearerAuthentication.MDC_TENANT)));
        assertThat(logged.get()).isEqualTo("local");
        assertThat(request.getAttribute(CurrentTenant.ATTRIBUTE)).isEqualTo("local");
        assertThat(MDC.get(BearerAuthentication.MDC_TENANT)).as("cleared after the request").isNull();
    }

    @Test
    void aShortAdministratorKeyIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiSecurityProperties(null, "short"))
                .hasMessageContaining("largo.security.admin-key");
    }
}
