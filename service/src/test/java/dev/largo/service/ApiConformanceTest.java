package dev.largo.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;

import dev.largo.service.testsupport.ContinualResults;
import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * Every operation of the contract, called for real in one user's session (register a model, upload data,
 * run through a job's life, fetch its adapter); {@link ContractClient} checks each request and response
 * against openapi.yaml, and the test fails if any operation of the contract went unexercised.
 */
class ApiConformanceTest extends ServiceIntegrationTest {

    @Test
    void everyOperationOfTheContractAnswersAsTheContractSays() {
        Exchange model = api.post("/v1/models", new Multipart().field("name", "tiny")
                .file("config", "config.json", "application/json",
                        ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream",
                        ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG)), Map.of("Idempotency-Key", "m1"));
        String modelId = ok(model, 201).json().get("id").asString();
        ok(api.get("/v1/models"), 200);
        ok(api.get("/v1/models/" + modelId), 200);
        ok(api.get("/v1/models/" + modelId + "/download"), 200);

        String train = ok(api.post("/v1/datasets?name=train&task_type=image_classification&split=train&domain=clean",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 1), "application/octet-stream", Map.of()), 201)
                .json().get("id").asString();
        String ood = ok(api.post("/v1/datasets", new Multipart().field("name", "ood").field("task_type",
                "image_classification").field("domain", "noisy").file("file", "ood.safetensors",
                "application/octet-stream", DatasetFiles.safetensors(DIGITS, 6, 8, 2)), Map.of()), 201)
                .json().get("id").asString();
        String spare = ok(api.post("/v1/datasets?name=spare&task_type=text_classification",
                DatasetFiles.jsonl(DIGITS, 6), "application/octet-stream", Map.of()), 201).json().get("id").asString();
        ok(api.get("/v1/datasets?limit=2"), 200);
        ok(api.get("/v1/datasets/" + train), 200);
        ok(api.get("/v1/datasets/" + spare + "/examples?limit=2"), 200);
        ok(api.delete("/v1/datasets/" + spare), 200);

        String job = ok(api.postJson("/v1/fine-tuning/jobs", """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}, {"dataset": "%s", "kind": "ood", "domain": "noisy"}],
                 "method": {"type": "largo", "lora": {"r": 4, "target_modules": ["query", "value"]},
                            "largo": {"kappa": 0.5, "norm": "l2_row"}},
                 "hyperparameters": {"epochs": 2, "batch_size": 16, "learning_rate": 0.002},
                 "seed": 42, "suffix": "conformance", "metadata": {"team": "robustness"}}
                """.formatted(modelId, train, train, ood), Map.of("Idempotency-Key", "j1")), 201).json().get("id").asString();
        ok(api.get("/v1/methods"), 200);
        ok(api.get("/v1/fine-tuning/jobs?status=queued"), 200);
        ok(api.get("/v1/fine-tuning/jobs/" + job), 200);
        ok(api.get("/v1/fine-tuning/jobs/" + job + "/events?after=0&limit=10"), 200);
        ok(api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=train/loss"), 200);
        ok(api.get("/v1/fine-tuning/jobs/" + job + "/checkpoints"), 200);
        ok(api.get("/v1/fine-tuning/jobs/" + job + "/evaluations"), 200);
        ok(api.postJson("/v1/fine-tuning/jobs/" + job + "/cancel", "", Map.of("Idempotency-Key", "c1")), 200);

        // a continual job: created with tasks, finished (recorded as its worker would), extended with one more task
        String continual = ok(api.postJson("/v1/fine-tuning/jobs", """
                {"base_model": "%s", "tasks": [{"name": "clean", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}]}],
                 "method": {"type": "gorp", "gorp": {"rank": 4, "energy_threshold": 0.95}},
                 "hyperparameters": {"epochs": 1}}
                """.formatted(modelId, train, train), Map.of("Idempotency-Key", "j2")), 201).json().get("id").asString();
        ContinualResults.record(jdbc, UUID.fromString(continual), new double[][] {{0.75}});
        ok(api.get("/v1/fine-tuning/jobs/" + continual + "/evaluations"), 200);
        ok(api.postJson("/v1/fine-tuning/jobs/" + continual + "/continue", """
                {"task": {"name": "noisy", "training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "ood"}]}}
                """.formatted(ood, ood), Map.of("Idempotency-Key", "k1")), 200);

        UUID adapter = storeAdapter(UUID.fromString(job), modelId, "local");
        ok(api.get("/v1/adapters/" + adapter), 200);
        ok(api.get("/v1/adapters/" + adapter + "/download?format=peft"), 200);

        ContractClient admin = api.withBearer(ADMIN_KEY);
        String tenant = ok(admin.postJson("/v1/tenants", "{\"name\": \"acme\"}"), 201).json().get("id").asString();
        ok(admin.get("/v1/tenants?limit=5"), 200);
        String key = ok(admin.postJson("/v1/tenants/" + tenant + "/api-keys", "{\"name\": \"ci\"}"), 201)
                .json().get("id").asString();
        ok(admin.get("/v1/tenants/" + tenant + "/api-keys"), 200);
        ok(admin.delete("/v1/tenants/" + tenant + "/api-keys/" + key), 200);

        assertThat(ContractClient.exercised()).containsAll(operations());
    }

    private static Set<String> operations() {
        OpenAPI contract = new OpenAPIV3Parser().readContents(ContractClient.contract()).getOpenAPI();
        Set<String> operations = new TreeSet<>();
        contract.getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> operations.add(method.name() + " " + path)));
        assertThat(operations).hasSize(26);
        return operations;
    }

    private static Exchange ok(Exchange exchange, int status) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(status);
        return exchange;
    }
}
