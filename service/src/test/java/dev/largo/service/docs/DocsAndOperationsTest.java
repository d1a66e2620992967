package dev.largo.service.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/** The contract, the docs UI, the dashboard placeholder and the operational endpoints are served. */
class DocsAndOperationsTest extends ServiceIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void apiDocsServeTheContractItself() throws Exception {
        HttpResponse<String> docs = get("/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        // Jackson 2 here: the request validator brings its YAML support
        JsonNode served = new ObjectMapper().readTree(docs.body());
        JsonNode contract = new ObjectMapper(new YAMLFactory()).readTree(ContractClient.contract());
        assertThat(differences(contract, served, "")).isEmpty();

        HttpResponse<String> yaml = get("/openapi.yaml");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).isEqualTo(ContractClient.contract());
    }

    @Test
    void docsUiAndDashboardAreServed() throws Exception {
        HttpResponse<String> ui = get("/swagger-ui/index.html");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        HttpResponse<String> config = get("/v3/api-docs/swagger-config");
        assertThat(config.body()).contains("/v3/api-docs");
        assertThat(get("/docs").statusCode()).isIn(200, 302);

        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).containsIgnoringCase("<title>").contains("LARGO");
        assertThat(index.body()).contains("src=\"app.js\""); // the dashboard's entry module
        assertThat(get("/app.js").statusCode()).isEqualTo(200);
    }

    @Test
    void healthAndPrometheusMetrics() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");

        api.get("/v1/datasets");
        HttpResponse<String> prometheus = get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("http_server_requests_seconds_count").contains("uri=\"/v1/datasets\"");
    }

    /** Where two JSON trees differ, as JSON pointers; {@code required} lists compare as sets. */
    static java.util.List<String> differences(JsonNode expected, JsonNode actual, String path) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (expected.isObject() && actual.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!expected.has(name) || !actual.has(name)) {
                    out.add(path + "/" + name + (expected.has(name) ? " missing" : " added") + ": "
                            + (expected.has(name) ? expected.get(name) : actual.get(name)));
                } else {
                    out.addAll(differences(expected.get(name), actual.get(name), path + "/" + name));
                }
            }
        } else if (expected.isArray() && actual.isArray() && path.endsWith("/required")) {
            java.util.Set<JsonNode> a = new java.util.HashSet<>();
            expected.forEach(a::add);
            java.util.Set<JsonNode> b = new java.util.HashSet<>();
            actual.forEach(b::add);
            if (!a.equals(b)) {
                out.add(path + ": " + expected + " != " + actual);
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                out.addAll(differences(expected.get(i), actual.get(i), path + "/" + i));
            }
        } else if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                out.add(path + ": " + expected + " != " + actual);
            }
        } else if (!expected.equals(actual)) {
            out.add(path + ": " + expected + " != " + actual);
        }
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
