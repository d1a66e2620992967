package dev.largo.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * What every response tells a browser: a Content-Security-Policy without inline script (the docs alone may
 * use inline styles), {@code nosniff}, no framing, no referrer; and no CORS unless origins are configured.
 */
class BrowserHeadersTest extends ServiceIntegrationTest {

    @Test
    void theDashboardAndTheApiCarryTheBrowserHeaders() {
        RawHttp http = new RawHttp(port);
        for (String path : List.of("/", "/app.js", "/v1/datasets", "/v1/datasets/nope", "/v1/tenants")) {
            RawHttp.Response response = http.send("GET", path, null, null, null);
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy")).as(path)
                    .hasValue(WebSecurityConfiguration.CONTENT_SECURITY_POLICY);
            assertThat(headers.firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        }
        String policy = WebSecurityConfiguration.CONTENT_SECURITY_POLICY;
        assertThat(policy).contains("script-src 'self';", "style-src 'self';", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        RawHttp.Response docs = http.send("GET", "/swagger-ui/index.html", null, null, null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.headers().firstValue("Content-Security-Policy"))
                .hasValue(WebSecurityConfiguration.DOCS_CONTENT_SECURITY_POLICY);
        assertThat(WebSecurityConfiguration.DOCS_CONTENT_SECURITY_POLICY).contains("script-src 'self';");
    }

    @Test
    void corsIsOffUnlessConfigured() {
        RawHttp http = new RawHttp(port);
        var preflight = http.send("OPTIONS", "/v1/datasets", null, null, null);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/datasets"))
                .header("Origin", "https://elsewhere.example").header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        java.net.http.HttpResponse<Void> crossOrigin;
        try {
            crossOrigin = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(crossOrigin.headers().firstValue("Access-Control-Allow-Origin"))
                .as("no origin is allowed by default").isEmpty();

        var configured = WebSecurityConfiguration.corsSource(new CorsProperties(List.of(" https://ml.example.com ")));
        MockHttpServletRequest api = new MockHttpServletRequest("GET", "/v1/datasets");
        assertThat(configured.getCorsConfiguration(api).getAllowedOrigins()).containsExactly("https://ml.example.com");
        assertThat(configured.getCorsConfiguration(new MockHttpServletRequest("GET", "/actuator/health")))
                .as("only the API").isNull();
        assertThat(new CorsProperties(null).enabled()).isFalse();
    }
}
