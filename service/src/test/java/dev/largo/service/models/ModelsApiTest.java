package dev.largo.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.types.Shape;
import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;

class ModelsApiTest extends ServiceIntegrationTest {

    @Test
    void anUploadedModelIsValidatedStoredAndListedWithTheBuiltIns() {
        insertBuiltInModel(BASE_MODEL);
        byte[] weights = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG);

        Exchange created = upload(ModelFiles.TINY_VIT_CONFIG, weights, "my-vit", Map.of());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode model = created.json();
        assertThat(model.get("id").asString()).startsWith("model-");
        assertThat(model.get("name").asString()).isEqualTo("my-vit");
        assertThat(model.get("architecture").asString()).isEqualTo("vit");
        assertThat(model.get("num_labels").asInt()).isEqualTo(3);
        assertThat(model.get("image_size").asInt()).isEqualTo(8);
        assertThat(model.get("builtin").asBoolean()).isFalse();
        assertThat(model.get("size_bytes").asLong()).isEqualTo(weights.length);
        // every scalar of the weights file: 4 bytes each after the 8-byte length and the JSON header
        long headerBytes = java.nio.ByteBuffer.wrap(weights, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(model.get("parameter_count").asLong()).isEqualTo((weights.length - 8 - headerBytes) / 4);

        String id = model.get("id").asString();
        assertThat(api.get("/v1/models/" + id).json()).isEqualTo(model);
        JsonNode list = api.get("/v1/models").json();
        assertThat(list.get("data").valueStream().map(m -> m.get("id").asString())).containsExactly(id, BASE_MODEL);
        assertThat(list.get("data").get(1).get("builtin").asBoolean()).isTrue();
        assertThat(list.get("data").get(1).get("sha256").isNull()).isTrue();
        JsonNode page = api.get("/v1/models?limit=1").json();
        assertThat(page.get("next_after").asString()).isEqualTo(id);
        assertThat(api.get("/v1/models?limit=1&after=" + id).json().get("data").get(0).get("id").asString())
                .isEqualTo(BASE_MODEL);
        assertThat(api.get("/v1/models/no-such-model").status()).isEqualTo(404);
    }

    @Test
    void aModelRecordsItsHubIdAndDownloadsAsAHuggingFaceFolder() throws Exception {
        byte[] weights = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG);
        Multipart form = new Multipart()
                .file("config", "config.json", "application/json",
                        ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", weights)
                .field("hub_id", "google/vit-base-patch16-224");
        JsonNode model = api.post("/v1/models", form, Map.of()).json();
        assertThat(model.get("hub_id").asString()).isEqualTo("google/vit-base-patch16-224");
        String id = model.get("id").asString();

        Exchange download = api.get("/v1/models/" + id + "/download");
        assertThat(download.status()).as(download.toString()).isEqualTo(200);
        assertThat(download.contentType()).isEqualTo("application/zip");
        assertThat(download.header("Content-Disposition")).contains(id + ".zip");
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(download.body()))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactly("config.json", "model.safetensors", "preprocessor_config.json");
        assertThat(entries.get("model.safetensors")).isEqualTo(weights);
        JsonNode config = tools.jackson.databind.json.JsonMapper.shared().readTree(entries.get("config.json"));
        assertThat(config).isEqualTo(tools.jackson.databind.json.JsonMapper.shared().readTree(ModelFiles.TINY_VIT_CONFIG));
        JsonNode preprocessor = tools.jackson.databind.json.JsonMapper.shared()
                .readTree(entries.get("preprocessor_config.json"));
        assertThat(preprocessor.get("size").get("height").asInt()).isEqualTo(8);
        assertThat(preprocessor.get("image_mean").get(0).asDouble()).isEqualTo(0.5);

        Multipart badHubId = new Multipart()
                .file("config", "config.json", "application/json",
                        ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", weights)
                .field("hub_id", "../etc/passwd");
        Exchange refused = api.sendingInvalidRequests().post("/v1/models", badHubId, Map.of());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("errors").get(0).get("param").asString()).isEqualTo("hub_id");
        assertThat(count("base_models")).isEqualTo(1);
        assertThat(api.get("/v1/models/no-such-model/download").status()).isEqualTo(404);
    }

    @Test
    void withoutANameTheConfigsNameOrPathIsUsed() {
        Exchange created = upload(ModelFiles.TINY_VIT_CONFIG, ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG), null,
                Map.of());
        assertThat(created.json().get("name").asString()).isEqualTo("tiny-vit");
    }

    @Test
    void malformedModelsAreRefusedNamingTheProblemAndLeaveNothing() {
        byte[] weights = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG);
        Map<String, Long> before = rowCounts("base_models", "artifacts", "artifact_chunks");

        Exchange unknownArchitecture = upload(ModelFiles.TINY_VIT_CONFIG.replace("\"model_type\": \"vit\"",
                "\"model_type\": \"bert\""), weights, "x", Map.of());
        assertInvalid(unknownArchitecture, "config");
        assertThat(unknownArchitecture.json().get("detail").asString()).contains("bert");

        byte[] badHeader = weights.clone();
        badHeader[9] = '#';
        assertInvalid(upload(ModelFiles.TINY_VIT_CONFIG, badHeader, "x", Map.of()), "weights");

        byte[] wrongShape = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG,
                tensors -> { tensors.put("classifier.weight", new Shape(5, 8)); return tensors; });
        Exchange shape = upload(ModelFiles.TINY_VIT_CONFIG, wrongShape, "x", Map.of());
        assertInvalid(shape, "weights");
        assertThat(shape.json().get("detail").asString()).contains("classifier.weight");

        byte[] missing = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG,
                tensors -> { tensors.remove("vit.layernorm.bias"); return tensors; });
        Exchange missingTensor = upload(ModelFiles.TINY_VIT_CONFIG, missing, "x", Map.of());
        assertInvalid(missingTensor, "weights");
        assertThat(missingTensor.json().get("detail").asString()).contains("vit.layernorm.bias");

        Exchange notJson = upload("{\"model_type\": ", weights, "x", Map.of());
        assertInvalid(notJson, "config");

        assertThat(rowCounts("base_models", "artifacts", "artifact_chunks")).isEqualTo(before);
    }

    @Test
    void repeatedUploadWithTheSameIdempotencyKeyStoresOnce() {
        byte[] weights = ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG);
        Map<String, String> key = Map.of("Idempotency-Key", "model-once");
        Exchange first = upload(ModelFiles.TINY_VIT_CONFIG, weights, "m", key);
        Exchange again = upload(ModelFiles.TINY_VIT_CONFIG, weights, "m", key);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(count("base_models")).isEqualTo(1);
        assertThat(upload(ModelFiles.TINY_VIT_CONFIG, weights, "other-name", key).status()).isEqualTo(422);
    }

    private Exchange upload(String config, byte[] weights, String name, Map<String, String> headers) {
        Multipart form = new Multipart()
                .file("config", "config.json", "application/json", config.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", weights);
        if (name != null) {
            form.field("name", name);
        }
        return api.post("/v1/models", form, headers);
    }

    private static void assertInvalid(Exchange exchange, String part) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.json().get("type").asString()).isEqualTo("urn:largo:problem:invalid-model");
        assertThat(exchange.json().get("errors").get(0).get("param").asString()).as(exchange.toString()).isEqualTo(part);
    }
}
