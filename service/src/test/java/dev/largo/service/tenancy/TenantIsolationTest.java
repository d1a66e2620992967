package dev.largo.service.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.service.testsupport.TenantResources;

/**
 * Tenant "alpha" owns a model, datasets, a job with events and an adapter; two outsiders, tenant "beta" (its
 * API key) and the local tenant (no key, the default mode), then try every operation of the contract on
 * them. The operations are read from openapi.yaml: an operation without a probe here fails the test, so a new
 * endpoint cannot be left unchecked. Each probe first shows that the owner succeeds, so a 404 is isolation and
 * not a broken fixture.
 */
class TenantIsolationTest extends ServiceIntegrationTest {

    private static final String JOBS = TenantResources.JOBS;

    /** Someone who is not the owner: a client and whether it sends a tenant's key. */
    private record Outsider(String name, ContractClient client, boolean hasKey, String ownDataset) {
    }

    @FunctionalInterface
    private interface Probe {
        void check(Outsider outsider);
    }

    private TenantKey alpha;
    private TenantKey beta;
    private ContractClient owner;
    private String model;
    private String train;
    private String eval;
    private String job;
    private String continual;
    private String adapter;
    private String alphaKeyId;

    @Test
    void noOperationOfTheContractReachesAnotherTenantsResources() {
        ownerResources();
        Map<String, Probe> probes = probes();
        assertThat(probes.keySet()).as("an isolation probe for every operation of openapi.yaml")
                .containsExactlyInAnyOrderElementsOf(operationIds());

        ContractClient betaClient = api.withBearer(beta.token());
        List<Outsider> outsiders = List.of(
                new Outsider("tenant beta", betaClient, true, ownDataset(betaClient, "beta-train")),
                new Outsider("local tenant (no key)", api, false, ownDataset(api, "local-train")));
        for (Outsider outsider : outsiders) {
            probes.forEach((operation, probe) -> {
                try {
                    probe.check(outsider);
                } catch (AssertionError e) {
                    throw new AssertionError(operation + " as " + outsider.name() + ": " + e.getMessage(), e);
                }
            });
        }
    }

    @Test
    void sharedBuiltInsAreReadByEveryTenantAndDeletedByNone() {
        insertBuiltInModel(BASE_MODEL);
        String sample = uploadImageDataset("fashion-sample", "clean");
        jdbc.update("update datasets set tenant_id = 'shared' where id = ?::uuid", sample);
        TenantKey gamma = newTenant("gamma");
        for (ContractClient client : List.of(api, api.withBearer(gamma.token()))) {
            assertThat(ids(client, "/v1/datasets")).contains(sample);
            assertThat(ids(client, "/v1/models")).contains(BASE_MODEL);
            assertThat(status(client.get("/v1/datasets/" + sample))).isEqualTo(200);
            assertThat(status(client.get("/v1/models/" + BASE_MODEL))).isEqualTo(200);
            Exchange delete = client.delete("/v1/datasets/" + sample);
            assertThat(delete.status()).as(delete.toString()).isEqualTo(403);
            assertThat(delete.json().get("detail").asString()).contains("shared");
            String own = ownDataset(client, "own");
            Exchange created = client.postJson(JOBS, TenantResources.jobSpec(BASE_MODEL, own, sample));
            assertThat(created.status()).as("a job on the shared model and sample: " + created).isEqualTo(201);
        }
        assertThat(count("datasets")).isEqualTo(3);
    }

    private void ownerResources() {
        insertBuiltInModel(BASE_MODEL);
        TenantResources resources = tenantWithResources("alpha");
        alpha = resources.key();
        beta = newTenant("beta");
        owner = api.withBearer(alpha.token());
        alphaKeyId = jdbc.queryForObject("select id::text from api_keys where tenant_id = ?", String.class,
                alpha.tenantId());
        model = resources.model();
        train = resources.train();
        eval = resources.eval();
        job = resources.job();
        adapter = resources.adapter();
        continual = resources.continual();
    }

    private Map<String, Probe> probes() {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("createDataset", o -> {
            Exchange mine = o.client().post("/v1/datasets?name=x&task_type=image_classification",
                    DatasetFiles.imageFolderZip(DIGITS, 2, 8, 1), "application/octet-stream",
                    Map.of("Idempotency-Key", "dataset-1"));
            assertNotAReplayOf(mine, train);
        });
        probes.put("listDatasets", o -> {
            assertThat(ids(owner, "/v1/datasets")).contains(train, eval);
            assertThat(ids(o.client(), "/v1/datasets")).doesNotContain(train, eval);
            assertThat(status(o.client().get("/v1/datasets?after=" + train))).as("another tenant's id as cursor")
                    .isEqualTo(400);
        });
        probes.put("getDataset", o -> ownerOkOutsiderNotFound(o, "/v1/datasets/" + train));
        probes.put("listDatasetExamples", o -> {
            String texts = owner.post("/v1/datasets?name=texts&task_type=text_classification",
                    DatasetFiles.jsonl(DIGITS, 6), "application/octet-stream", Map.of()).json().get("id").asString();
            ownerOkOutsiderNotFound(o, "/v1/datasets/" + texts + "/examples");
            // an image dataset has no rows to show, to its owner; to anyone else it does not exist
            assertThat(status(owner.get("/v1/datasets/" + train + "/examples"))).isEqualTo(409);
            assertNotFound(o.client().get("/v1/datasets/" + train + "/examples"));
        });
        probes.put("deleteDataset", o -> {
            assertNotFound(o.client().delete("/v1/datasets/" + eval));
            assertThat(status(owner.get("/v1/datasets/" + eval))).as("still there").isEqualTo(200);
        });
        probes.put("createModel", o -> {
            Exchange mine = o.client().post("/v1/models", new Multipart()
                    .file("config", "config.json", "application/json", ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                    .file("weights", "model.safetensors", "application/octet-stream",
                            ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG)), Map.of("Idempotency-Key", "model-1"));
            assertNotAReplayOf(mine, model);
        });
        probes.put("listModels", o -> {
            assertThat(ids(owner, "/v1/models")).contains(model, BASE_MODEL);
            assertThat(ids(o.client(), "/v1/models")).doesNotContain(model).contains(BASE_MODEL);
        });
        probes.put("getModel", o -> ownerOkOutsiderNotFound(o, "/v1/models/" + model));
        probes.put("downloadModel", o -> ownerOkOutsiderNotFound(o, "/v1/models/" + model + "/download"));
        probes.put("listMethods", o -> {
            // the method registry: the same for every caller, naming no tenant's resources
            Exchange theirs = o.client().get("/v1/methods");
            assertThat(status(theirs)).isEqualTo(200);
            assertThat(theirs.text()).isEqualTo(owner.get("/v1/methods").text()).doesNotContain(model, train, eval, job);
        });
        probes.put("createFineTuningJob", o -> {
            long jobs = count("jobs");
            assertUnknownReference(o.client().postJson(JOBS, TenantResources.jobSpec(model, o.ownDataset(), o.ownDataset())),
                    "base_model");
            assertUnknownReference(o.client().postJson(JOBS, TenantResources.jobSpec(BASE_MODEL, train, o.ownDataset())),
                    "training_dataset");
            assertUnknownReference(o.client().postJson(JOBS, TenantResources.jobSpec(BASE_MODEL, o.ownDataset(), eval)),
                    "evaluation_splits[0].dataset");
            assertThat(count("jobs")).as("nothing created").isEqualTo(jobs);
            assertNotAReplayOf(o.client().postJson(JOBS, TenantResources.jobSpec(BASE_MODEL, o.ownDataset(), o.ownDataset()),
                    Map.of("Idempotency-Key", "job-1")), job);
        });
        probes.put("listFineTuningJobs", o -> {
            assertThat(ids(owner, JOBS)).contains(job);
            assertThat(ids(o.client(), JOBS)).doesNotContain(job);
            assertThat(ids(o.client(), JOBS + "?status=queued")).doesNotContain(job);
            assertThat(status(o.client().get(JOBS + "?after=" + job))).isEqualTo(400);
        });
        probes.put("getFineTuningJob", o -> ownerOkOutsiderNotFound(o, JOBS + "/" + job));
        probes.put("continueFineTuningJob", o -> {
            assertNotFound(o.client().postJson(JOBS + "/" + continual + "/continue", """
                    {"task": {"training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "ood"}]}}
                    """.formatted(o.ownDataset(), o.ownDataset())));
            JsonNode untouched = owner.get(JOBS + "/" + continual).json();
            assertThat(untouched.get("status").asString()).isEqualTo("succeeded");
            assertThat(untouched.get("tasks").size()).as("no task was added").isEqualTo(1);
            assertUnknownReference(o.client().postJson(JOBS, TenantResources.continualSpec(BASE_MODEL, train, o.ownDataset())),
                    "tasks[0].training_dataset");
        });
        probes.put("cancelFineTuningJob", o -> {
            assertNotFound(o.client().postJson(JOBS + "/" + job + "/cancel", "", Map.of("Idempotency-Key", "c-1")));
            JsonNode untouched = owner.get(JOBS + "/" + job).json();
            assertThat(untouched.get("status").asString()).isEqualTo("queued");
            assertThat(untouched.get("cancel_requested").asBoolean()).isFalse();
        });
        probes.put("listFineTuningJobEvents", o -> ownerOkOutsiderNotFound(o, JOBS + "/" + job + "/events"));
        probes.put("listFineTuningJobMetrics", o -> ownerOkOutsiderNotFound(o, JOBS + "/" + job + "/metrics"));
        // the frontier of the owner's (queued) job: the owner is told why it cannot have one yet, anyone else
        // that the job does not exist, and nothing is queued
        probes.put("requestFrontier", o -> {
            String path = JOBS + "/" + job + "/frontier";
            assertThat(status(owner.postJson(path, "{}"))).as("the owner's queued job: not succeeded").isEqualTo(409);
            assertNotFound(o.client().postJson(path, "{}"));
            assertThat(count("frontier_evaluations")).as("nothing queued").isZero();
        });
        probes.put("getFrontier", o -> {
            String path = JOBS + "/" + job + "/frontier";
            Exchange mine = owner.get(path);
            assertThat(mine.status()).isEqualTo(404);
            assertThat(mine.json().get("detail").asString()).as("the owner learns the job has no frontier yet")
                    .contains("no frontier evaluation yet");
            Exchange theirs = o.client().get(path);
            assertNotFound(theirs);
            assertThat(theirs.json().get("detail").asString()).doesNotContain("frontier");
        });
        probes.put("downloadAtAlpha", o -> {
            String path = JOBS + "/" + job + "/frontier/download?alpha=0.5";
            assertThat(status(owner.get(path))).as("the owner's queued job: not succeeded").isEqualTo(409);
            assertNotFound(o.client().get(path));
        });
        probes.put("listFineTuningJobCheckpoints", o -> ownerOkOutsiderNotFound(o, JOBS + "/" + job + "/checkpoints"));
        probes.put("listFineTuningJobEvaluations", o -> ownerOkOutsiderNotFound(o, JOBS + "/" + job + "/evaluations"));
        probes.put("getAdapter", o -> ownerOkOutsiderNotFound(o, "/v1/adapters/" + adapter));
        probes.put("downloadAdapter", o -> {
            ownerOkOutsiderNotFound(o, "/v1/adapters/" + adapter + "/download");
            assertNotFound(o.client().get("/v1/adapters/" + adapter + "/download?format=merged"));
        });
        // administration: only the administrator key, and through it one tenant's key is never reached
        // under another tenant's path
        ContractClient admin = api.withBearer(ADMIN_KEY);
        probes.put("createTenant", o -> assertAdminOnly(o, "POST", "/v1/tenants", "{\"name\": \"mine\"}"));
        probes.put("listTenants", o -> assertAdminOnly(o, "GET", "/v1/tenants", null));
        probes.put("createApiKey", o -> {
            assertAdminOnly(o, "POST", "/v1/tenants/" + alpha.tenantId() + "/api-keys", "{}");
            assertThat(admin.get("/v1/tenants/" + alpha.tenantId() + "/api-keys").json().get("data").size())
                    .as("no key was added to alpha").isEqualTo(1);
        });
        probes.put("listApiKeys", o -> {
            assertAdminOnly(o, "GET", "/v1/tenants/" + alpha.tenantId() + "/api-keys", null);
            assertThat(admin.get("/v1/tenants/" + beta.tenantId() + "/api-keys").text()).doesNotContain(alphaKeyId);
        });
        probes.put("revokeApiKey", o -> {
            assertAdminOnly(o, "DELETE", "/v1/tenants/" + alpha.tenantId() + "/api-keys/" + alphaKeyId, null);
            assertNotFound(admin.delete("/v1/tenants/" + beta.tenantId() + "/api-keys/" + alphaKeyId));
            assertThat(status(owner.get("/v1/datasets"))).as("alpha's key still works").isEqualTo(200);
        });
        return probes;
    }

    private void ownerOkOutsiderNotFound(Outsider outsider, String path) {
        assertThat(status(owner.get(path))).as("the owner reads " + path).isEqualTo(200);
        assertNotFound(outsider.client().get(path));
    }

    private void assertAdminOnly(Outsider outsider, String method, String path, String json) {
        Exchange refused = outsider.client().sendingInvalidRequests().send(method, path,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), json == null ? null : "application/json",
                Map.of());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(outsider.hasKey() ? 403 : 401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    private static void assertNotFound(Exchange exchange) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(404);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
    }

    private static void assertUnknownReference(Exchange exchange, String param) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.json().get("errors").get(0).get("param").asString()).isEqualTo(param);
    }

    /** The same Idempotency-Key as the owner's request creates the outsider's own resource, not a replay. */
    private static void assertNotAReplayOf(Exchange exchange, String ownersId) {
        assertThat(exchange.status()).as(exchange.toString()).isIn(200, 201);
        assertThat(exchange.header("Idempotent-Replayed")).isNull();
        assertThat(exchange.json().get("id").asString()).isNotEqualTo(ownersId);
    }

    /** Every id of a paginated list, following next_after. */
    private static List<String> ids(ContractClient client, String path) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            String sep = path.contains("?") ? "&" : "?";
            Exchange page = client.get(path + sep + "limit=100" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("data").forEach(item -> ids.add(item.get("id").asString()));
            after = page.json().get("has_more").asBoolean() ? page.json().get("next_after").asString() : null;
        } while (after != null);
        return ids;
    }

    private static int status(Exchange exchange) {
        return exchange.status();
    }

    private String ownDataset(ContractClient client, String name) {
        return createdId(client.post("/v1/datasets?name=" + name + "&task_type=image_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, name.hashCode()), "application/octet-stream", Map.of()));
    }

    private static Set<String> operationIds() {
        OpenAPI contract = new OpenAPIV3Parser().readContents(ContractClient.contract()).getOpenAPI();
        Set<String> ids = new TreeSet<>();
        contract.getPaths().values().forEach(item -> item.readOperations().forEach(op -> ids.add(op.getOperationId())));
        return ids;
    }
}
