package dev.largo.service.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * The deployed mode: every API request needs a tenant's key; keys are created, listed and revoked by the
 * administrator key and stored only as hashes; a tenant has at most two queued jobs here.
 */
@TestPropertySource(properties = {"largo.security.mode=api-keys", "largo.limits.max-queued-jobs-per-tenant=2"})
class ApiKeysModeTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";

    @Test
    void everyOperationWithoutAKeyIsAnswered401WithABearerChallenge() throws Exception {
        OpenAPI contract = new OpenAPIV3Parser().readContents(ContractClient.contract()).getOpenAPI();
        ContractClient anonymous = api.sendingInvalidRequests();
        int checked = 0;
        for (var path : contract.getPaths().entrySet()) {
            String concrete = path.getKey().replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            for (var operation : path.getValue().readOperationsMap().keySet()) {
                Exchange refused = anonymous.send(operation.name(), concrete, null, null, Map.of());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer realm=\"largo\"");
                assertThat(refused.json().get("type").asString()).isEqualTo("urn:largo:problem:unauthorized");
                checked++;
            }
        }
        assertThat(checked).isEqualTo(contract.getPaths().values().stream()
                .mapToInt(item -> item.readOperations().size()).sum());

        Exchange basic = anonymous.send("GET", "/v1/datasets", null, null, Map.of("Authorization", "Basic YTpi"));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.header("WWW-Authenticate")).contains("error=\"invalid_request\"");
        Exchange unknown = api.withBearer("lgo_" + "A".repeat(43)).get("/v1/datasets");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(unknown.json().get("detail").asString()).isEqualTo("unknown API key");

        java.net.http.HttpResponse<Void> health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(health.statusCode()).as("health stays open (outside the API)").isEqualTo(200);
    }

    @Test
    void aKeyIsShownOnceStoredAsItsHashAndRevokedFor401() {
        ContractClient admin = api.withBearer(ADMIN_KEY);
        String tenant = admin.postJson("/v1/tenants", "{\"name\": \"acme\"}").json().get("id").asString();
        Exchange created = admin.postJson("/v1/tenants/" + tenant + "/api-keys", "{\"name\": \"ci\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().get("token").asString();
        String keyId = created.json().get("id").asString();
        assertThat(token).matches("lgo_[A-Za-z0-9_-]{43}");
        assertThat(created.json().get("prefix").asString()).isEqualTo(token.substring(0, 12));

        String row = jdbc.queryForObject("select row_to_json(k)::text from api_keys k where id = ?::uuid", String.class, keyId);
        assertThat(row).doesNotContain(token).doesNotContain(token.substring(12))
                .contains(ApiKeyTokens.hash(token));
        assertThat(ApiKeyTokens.hash(token)).isEqualTo(sha256Hex(token));

        ContractClient tenantClient = api.withBearer(token);
        assertThat(status(tenantClient.get("/v1/datasets"))).isEqualTo(200);
        JsonNode listed = admin.get("/v1/tenants/" + tenant + "/api-keys").json().get("data");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("token")).isFalse();
        assertThat(listed.get(0).get("revoked_at").isNull()).isTrue();

        Exchange revoked = admin.delete("/v1/tenants/" + tenant + "/api-keys/" + keyId);
        assertThat(revoked.status()).isEqualTo(200);
        String revokedAt = revoked.json().get("revoked_at").asString();
        Exchange refused = tenantClient.get("/v1/datasets");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("detail").asString()).contains("revoked");
        assertThat(admin.delete("/v1/tenants/" + tenant + "/api-keys/" + keyId).json().get("revoked_at").asString())
                .as("revoking again changes nothing").isEqualTo(revokedAt);
    }

    @Test
    void onlyTheAdministratorKeyManagesTenantsAndItActsForNone() {
        ContractClient admin = api.withBearer(ADMIN_KEY);
        TenantKey acme = newTenant("acme");
        Exchange tenantKeyAsAdmin = api.withBearer(acme.token()).postJson("/v1/tenants", "{\"name\": \"evil\"}");
        assertThat(tenantKeyAsAdmin.status()).as(tenantKeyAsAdmin.toString()).isEqualTo(403);
        Exchange wrongAdmin = api.withBearer(ADMIN_KEY + "x").get("/v1/tenants");
        assertThat(wrongAdmin.status()).isEqualTo(401);
        Exchange adminAsTenant = admin.get("/v1/datasets");
        assertThat(adminAsTenant.status()).as("the admin key is no tenant's key").isEqualTo(401);
        assertThat(admin.get("/v1/tenants").json().get("data")).hasSize(1);

        Exchange unknownTenant = admin.postJson("/v1/tenants/" + UUID.randomUUID() + "/api-keys", "{}");
        assertThat(unknownTenant.status()).isEqualTo(404);
        Exchange noName = admin.sendingInvalidRequests().postJson("/v1/tenants", "{}");
        assertThat(noName.status()).as(noName.toString()).isEqualTo(400);
        assertThat(count("tenants")).isEqualTo(1);
    }

    @Test
    void aTenantBeyondItsQueuedJobLimitIsRefused429NamingTheLimit() {
        insertBuiltInModel(BASE_MODEL);
        TenantKey busy = newTenant("busy");
        TenantKey quiet = newTenant("quiet");
        ContractClient busyClient = api.withBearer(busy.token());
        String data = dataset(busyClient);
        List<String> jobs = List.of(created(busyClient.postJson(JOBS, job(data))), created(busyClient.postJson(JOBS, job(data))));

        Exchange third = busyClient.postJson(JOBS, job(data));
        assertThat(third.status()).as(third.toString()).isEqualTo(429);
        assertThat(third.contentType()).startsWith("application/problem+json");
        assertThat(third.json().get("detail").asString())
                .contains("largo.limits.max-queued-jobs-per-tenant").contains("2");
        assertThat(count("jobs")).as("nothing half-created").isEqualTo(2);

        ContractClient quietClient = api.withBearer(quiet.token());
        assertThat(status(quietClient.postJson(JOBS, job(dataset(quietClient))))).as("another tenant's own limit")
                .isEqualTo(201);

        assertThat(status(busyClient.postJson(JOBS + "/" + jobs.get(0) + "/cancel", ""))).isEqualTo(200);
        assertThat(status(busyClient.postJson(JOBS, job(data)))).as("a cancelled job frees its place").isEqualTo(201);
    }

    private static String dataset(ContractClient client) {
        return created(client.post("/v1/datasets?name=d&task_type=image_classification",
                dev.largo.service.testsupport.DatasetFiles.imageFolderZip(DIGITS, 2, 8, 3), "application/octet-stream",
                Map.of()));
    }

    private static String job(String dataset) {
        return """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}], "method": {"type": "lora"}}
                """.formatted(BASE_MODEL, dataset, dataset);
    }

    private static String created(Exchange exchange) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(201);
        return exchange.json().get("id").asString();
    }

    private static int status(Exchange exchange) {
        return exchange.status();
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
