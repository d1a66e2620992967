package dev.largo.service.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.largo.service.builtins.BuiltinRegistration;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.service.testsupport.TextModelFiles;
import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.engine.io.SafeTensors;

/**
 * Text jobs through the API with the in-process worker of the default mode, real PostgreSQL and real training:
 * a sentiment job on the built-in all-MiniLM-L6-v2 (a few rows of the shipped review texts, one epoch, 32
 * tokens) succeeds with evaluations, the base reference and a checkpoint, and its PEFT adapter carries Hugging
 * Face BERT names, its merged download a complete BERT folder with the tokenizer; an uploaded small random BERT
 * with its tokenizer fine-tunes, trains continually with GORP, and a long text job reports progress and cancels.
 */
@TestPropertySource(properties = "largo.worker.enabled=true")
// closed after the class: a cached context's worker would go on claiming other tests' jobs
@DirtiesContext
class TextJobEndToEndTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";
    private static final Duration JOB_LIMIT = Duration.ofMinutes(8);
    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    private BuiltinRegistration builtins;

    @TempDir
    Path tmp;

    @Test
    void aSentimentJobOnTheBuiltinMiniLmExportsHuggingFaceBertFiles() throws Exception {
        builtins.registerAll();
        builtins.registerTextModel();
        String train = upload("amazon-few", "amazon", slice("amazon-train", 16));
        String id = upload("amazon-test-few", "amazon", slice("amazon-test", 8));
        String ood = upload("sst2-test-few", "sst2", slice("sst2-test", 8));

        Exchange created = api.postJson(JOBS, """
                {"base_model": "all-minilm-l6-v2", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}, {"dataset": "%s", "kind": "ood"}],
                 "method": {"type": "lora"}, "hyperparameters": {"epochs": 1, "batch_size": 8, "max_seq_length": 32},
                 "seed": 1}""".formatted(train, id, ood));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("hyperparameters").get("max_seq_length").asInt()).isEqualTo(32);
        // the model's own default targets: every encoder linear (a ViT's "dense" would take BERT's new pooler too)
        assertThat(created.json().get("method").get("lora").get("target_modules").toString())
                .isEqualTo("[\"query\",\"key\",\"value\",\"output.dense\",\"intermediate.dense\"]");
        String job = created.json().get("id").asString();

        JsonNode done = awaitStatus(job, "succeeded");
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);
        JsonNode evaluations = api.get(JOBS + "/" + job + "/evaluations").json();
        assertThat(evaluations.get("data").valueStream().map(e -> e.get("domain").asString())).contains("amazon", "sst2");
        for (JsonNode split : evaluations.get("data")) {
            assertThat(split.get("count").asLong()).isEqualTo(8);
            assertThat(split.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(evaluations.toString()).contains("base_reference");
        assertThat(api.get(JOBS + "/" + job + "/checkpoints").json().get("data").size()).isPositive();
        assertThat(api.get(JOBS + "/" + job + "/metrics?name=train/loss").json().get("data").size()).isPositive();

        String adapter = done.get("fine_tuned_adapter").asString();
        Map<String, byte[]> peft = TextModelUploadTest.unzip(api.get("/v1/adapters/" + adapter + "/download").body());
        JsonNode adapterConfig = JSON.readTree(peft.get("adapter_config.json"));
        assertThat(adapterConfig.get("base_model_name_or_path").asString()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
        assertThat(adapterConfig.get("modules_to_save").toString()).contains("classifier");
        assertThat(tensorNames(peft.get("adapter_model.safetensors"))).contains(
                "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
                "base_model.model.bert.encoder.layer.5.output.dense.lora_B.weight");

        Map<String, byte[]> merged = TextModelUploadTest.unzip(
                api.get("/v1/adapters/" + adapter + "/download?format=merged").body());
        assertThat(merged.keySet()).contains("config.json", "model.safetensors", "tokenizer.json");
        JsonNode config = JSON.readTree(merged.get("config.json"));
        assertThat(config.get("architectures").get(0).asString()).isEqualTo("BertForSequenceClassification");
        assertThat(config.get("id2label").toString()).contains("negative", "positive");
        assertThat(tensorNames(merged.get("model.safetensors")))
                .contains("bert.embeddings.word_embeddings.weight", "bert.encoder.layer.5.output.dense.weight",
                        "bert.pooler.dense.weight", "classifier.weight")
                .noneMatch(name -> name.contains("lora"));
    }

    @Test
    void anUploadedBertWithItsTokenizerFineTunesTrainsContinuallyAndCancels() throws Exception {
        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        String model = createdId(api.post("/v1/models", TextModelFiles.form(config, TextModelFiles.weightsFor(config, 11),
                TextModelFiles.tokenizer(), null).field("name", "tiny-bert"), Map.of()));
        String amazon = upload("amazon-few", "amazon", slice("amazon-train", 24));
        String yelp = upload("yelp-few", "yelp", slice("yelp-test", 24));

        String single = createdId(api.postJson(JOBS, """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}, {"dataset": "%s", "kind": "ood"}],
                 "method": {"type": "largo"}, "hyperparameters": {"epochs": 2, "batch_size": 8, "max_seq_length": 24}}
                """.formatted(model, amazon, amazon, yelp)));
        JsonNode done = awaitStatus(single, "succeeded");
        Map<String, byte[]> peft = TextModelUploadTest.unzip(
                api.get("/v1/adapters/" + done.get("fine_tuned_adapter").asString() + "/download").body());
        assertThat(tensorNames(peft.get("adapter_model.safetensors")))
                .contains("base_model.model.bert.encoder.layer.1.attention.self.value.lora_A.weight");
        assertThat(api.get(JOBS + "/" + single + "/checkpoints").json().get("data").size()).isEqualTo(2);

        String continual = createdId(api.postJson(JOBS, """
                {"base_model": "%s", "tasks": [
                   {"name": "amazon", "training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "id"}]},
                   {"name": "yelp", "training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "ood"}]}],
                 "method": {"type": "gorp"}, "hyperparameters": {"epochs": 1, "batch_size": 8, "max_seq_length": 24}}
                """.formatted(model, amazon, amazon, yelp, yelp)));
        awaitStatus(continual, "succeeded");
        JsonNode matrix = api.get(JOBS + "/" + continual + "/evaluations").json().get("continual").get("accuracy");
        assertThat(matrix.size()).isEqualTo(2);
        assertThat(matrix.get(1).get(0).asDouble()).isBetween(0.0, 1.0);

        // many small steps: running with progress and an ETA, then cancelled within a step
        String long_ = createdId(api.postJson(JOBS, """
                {"base_model": "%s", "training_dataset": "%s", "evaluation_splits": [{"dataset": "%s", "kind": "id"}],
                 "method": {"type": "lora"}, "hyperparameters": {"epochs": 100, "batch_size": 1, "max_seq_length": 16}}
                """.formatted(model, amazon, amazon)));
        JsonNode running = awaitProgress(long_);
        assertThat(running.get("eta_seconds").asDouble()).isPositive();
        assertThat(api.postJson(JOBS + "/" + long_ + "/cancel", "").status()).isEqualTo(200);
        awaitStatus(long_, "cancelled");
    }

    /** The first {@code rows} lines of a shipped sentiment file. */
    private static byte[] slice(String name, int rows) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                BuiltinAssets.textDataset(name).orElseThrow().open(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null && lines.size() < rows; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private String upload(String name, String domain, byte[] jsonl) {
        return createdId(api.post("/v1/datasets?name=" + name + "&task_type=text_classification&domain=" + domain,
                jsonl, "application/octet-stream", Map.of()));
    }

    private List<String> tensorNames(byte[] safetensors) throws Exception {
        Path file = Files.createTempFile(tmp, "tensors", ".safetensors");
        Files.write(file, safetensors);
        return List.copyOf(SafeTensors.readHeader(file, 1 << 24).tensors().keySet());
    }

    private JsonNode awaitStatus(String job, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = api.get(JOBS + "/" + job).json();
            String status = state.get("status").asString();
            if (wanted.equals(status)) {
                return state;
            }
            if (List.of("succeeded", "failed", "cancelled").contains(status)) {
                throw new AssertionError("job " + job + " ended " + status + ", not " + wanted + ": " + state);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("job " + job + " was not " + wanted + " within " + JOB_LIMIT + ": "
                + api.get(JOBS + "/" + job).text());
    }

    private JsonNode awaitProgress(String job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = api.get(JOBS + "/" + job).json();
            if ("running".equals(state.get("status").asString()) && state.get("progress").asDouble() > 0
                    && state.get("eta_seconds").isNumber()) {
                return state;
            }
            assertThat(state.get("status").asString()).as(state.toString()).isIn("queued", "running");
            Thread.sleep(300);
        }
        throw new AssertionError("job " + job + " made no progress within " + JOB_LIMIT);
    }
}
