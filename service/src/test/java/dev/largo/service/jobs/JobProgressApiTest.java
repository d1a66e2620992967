package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationKind;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.jobs.EventLevel;
import dev.largo.db.jobs.JobEventEntity;
import dev.largo.db.jobs.JobEventRepository;
import dev.largo.db.jobs.JobMetricEntity;
import dev.largo.db.jobs.JobMetricRepository;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * What a client reads while and after a job runs. The rows a worker would write are written here through
 * the db module, as the worker writes them.
 */
class JobProgressApiTest extends ServiceIntegrationTest {

    @Autowired JobEventRepository events;
    @Autowired JobMetricRepository metrics;
    @Autowired CheckpointRepository checkpoints;
    @Autowired EvaluationRepository evaluations;
    @Autowired AdapterRepository adapters;
    @Autowired ArtifactStore artifacts;

    private String train;
    private String ood1;
    private String ood2;
    private String job;

    @BeforeEach
    void job() {
        insertBuiltInModel(BASE_MODEL);
        train = uploadImageDataset("clean", "clean");
        ood1 = uploadImageDataset("rotated", "rotated");
        ood2 = uploadImageDataset("blurred", "blurred");
        Exchange created = api.postJson("/v1/fine-tuning/jobs", "{\"base_model\": \"" + BASE_MODEL + "\","
                + " \"training_dataset\": \"" + train + "\", \"evaluation_splits\": ["
                + "{\"dataset\": \"" + train + "\", \"kind\": \"id\"}, {\"dataset\": \"" + ood1 + "\", \"kind\": \"ood\"},"
                + " {\"dataset\": \"" + ood2 + "\", \"kind\": \"ood\"}], \"method\": {\"type\": \"largo\"}, \"suffix\": \"robust\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        job = created.json().get("id").asString();
    }

    @Test
    void eventsArePolledWithAfter() {
        UUID id = UUID.fromString(job);
        for (int i = 1; i <= 5; i++) {
            events.save(new JobEventEntity(id, EventLevel.INFO, "epoch", "epoch " + i + " done", "{\"epoch\": " + i + "}"));
        }
        events.save(new JobEventEntity(id, EventLevel.WARN, "message", "loss spiked", null));

        Exchange first = api.get("/v1/fine-tuning/jobs/" + job + "/events?limit=4");
        assertThat(first.status()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(page.get("data").size()).isEqualTo(4);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(page.get("data").get(0).get("message").asString()).isEqualTo("epoch 1 done");
        assertThat(page.get("data").get(0).get("data").get("epoch").asInt()).isEqualTo(1);

        long cursor = page.get("next_after").asLong();
        JsonNode rest = api.get("/v1/fine-tuning/jobs/" + job + "/events?after=" + cursor).json();
        assertThat(rest.get("data").valueStream().map(e -> e.get("message").asString()))
                .containsExactly("epoch 5 done", "loss spiked");
        assertThat(rest.get("data").get(1).get("level").asString()).isEqualTo("warn");
        assertThat(rest.get("data").get(1).get("data").isNull()).isTrue();

        // polling past the end returns nothing new and keeps the cursor
        long last = rest.get("next_after").asLong();
        JsonNode none = api.get("/v1/fine-tuning/jobs/" + job + "/events?after=" + last).json();
        assertThat(none.get("data").size()).isZero();
        assertThat(none.get("next_after").asLong()).isEqualTo(last);
    }

    @Test
    void metricsFilterByNameOrPrefix() {
        UUID id = UUID.fromString(job);
        for (int step = 1; step <= 3; step++) {
            metrics.save(new JobMetricEntity(id, step, 1, "train/loss", 2.0 / step));
            metrics.save(new JobMetricEntity(id, step, 1, "gamma/layer.0.query.lora_A", 1e-8 * step));
            metrics.save(new JobMetricEntity(id, step, 1, "gamma/layer.0.query.lora_B", 2e-8 * step));
        }
        JsonNode loss = api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=train/loss").json();
        assertThat(loss.get("data").valueStream().map(m -> m.get("value").asDouble())).containsExactly(2.0, 1.0, 2.0 / 3);
        assertThat(loss.get("data").get(0).get("epoch").asDouble()).isEqualTo(1.0);

        JsonNode gamma = api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=gamma/*&limit=4").json();
        assertThat(gamma.get("data").size()).isEqualTo(4);
        assertThat(gamma.get("has_more").asBoolean()).isTrue();
        assertThat(gamma.get("data").valueStream().allMatch(m -> m.get("name").asString().startsWith("gamma/"))).isTrue();
        JsonNode gammaRest = api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=gamma/*&after="
                + gamma.get("next_after").asLong()).json();
        assertThat(gammaRest.get("data").size()).isEqualTo(2);

        assertThat(api.get("/v1/fine-tuning/jobs/" + job + "/metrics").json().get("data").size()).isEqualTo(9);
    }

    @Test
    void anUnknownMetricNameIsRefusedWithTheValidNames() {
        var refused = api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=train_loss");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString()).contains("no metric is named \"train_loss\"")
                .contains("train/loss", "train/lr", "train/grad_norm", "train/step_ms", "train/epoch_loss", "gamma/<tensor>");
        assertThat(refused.json().get("errors").get(0).get("param").asString()).isEqualTo("name");
        assertThat(api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=train/*").status()).isEqualTo(200);
        assertThat(api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=gamma/layer.0.query.lora_A").status())
                .isEqualTo(200);
        assertThat(api.get("/v1/fine-tuning/jobs/" + job + "/metrics?name=loss*").status()).isEqualTo(400);
    }

    @Test
    void checkpointsAreListedWithTheirSize() {
        UUID id = UUID.fromString(job);
        for (int epoch = 1; epoch <= 2; epoch++) {
            ArtifactRef ref = artifacts.put(ArtifactStore.KIND_CHECKPOINT, "checkpoint-" + epoch + ".bin",
                    "application/octet-stream", new ByteArrayInputStream(new byte[1000 * epoch]));
            checkpoints.save(new CheckpointEntity(UUID.randomUUID(), id, epoch, epoch * 10L, ref.id()));
        }
        JsonNode list = api.get("/v1/fine-tuning/jobs/" + job + "/checkpoints").json();
        assertThat(list.get("data").valueStream().map(c -> c.get("step").asLong())).containsExactly(10L, 20L);
        assertThat(list.get("data").get(1).get("size_bytes").asLong()).isEqualTo(2000);
        assertThat(list.get("data").get(0).get("fine_tuning_job_id").asString()).isEqualTo(job);
    }

    @Test
    void evaluationsSummariseIdAndOodFromTheLatestOfEachSplit() {
        UUID id = UUID.fromString(job);
        // after epoch 1, then final: only the final ones count
        evaluations.save(eval(id, 1, train, EvaluationKind.ID, "clean", EvaluatedModel.FINE_TUNED, 0.50, 100));
        evaluations.save(eval(id, null, train, EvaluationKind.ID, "clean", EvaluatedModel.FINE_TUNED, 0.90, 100));
        evaluations.save(eval(id, null, ood1, EvaluationKind.OOD, "rotated", EvaluatedModel.FINE_TUNED, 0.70, 50));
        evaluations.save(eval(id, null, ood2, EvaluationKind.OOD, "blurred", EvaluatedModel.FINE_TUNED, 0.60, 200));
        evaluations.save(eval(id, null, train, EvaluationKind.ID, "clean", EvaluatedModel.BASE_REFERENCE, 0.80, 100));
        evaluations.save(eval(id, null, ood1, EvaluationKind.OOD, "rotated", EvaluatedModel.BASE_REFERENCE, 0.75, 50));
        evaluations.save(eval(id, null, ood2, EvaluationKind.OOD, "blurred", EvaluatedModel.BASE_REFERENCE, 0.65, 200));

        JsonNode list = api.get("/v1/fine-tuning/jobs/" + job + "/evaluations").json();
        assertThat(list.get("data").size()).isEqualTo(7);
        JsonNode first = list.get("data").get(0);
        assertThat(first.get("dataset").asString()).isEqualTo(train);
        assertThat(first.get("epoch").asInt()).isEqualTo(1);
        assertThat(list.get("data").get(1).get("epoch").isNull()).isTrue();

        JsonNode summary = list.get("summary");
        assertThat(summary.get("id_accuracy").asDouble()).isCloseTo(0.90, within(1e-12));
        assertThat(summary.get("ood_mean_accuracy").asDouble()).isCloseTo(0.65, within(1e-12));
        assertThat(summary.get("ood_worst_accuracy").asDouble()).isCloseTo(0.60, within(1e-12));
        JsonNode base = summary.get("base_reference");
        assertThat(base.get("id_accuracy").asDouble()).isCloseTo(0.80, within(1e-12));
        assertThat(base.get("ood_mean_accuracy").asDouble()).isCloseTo(0.70, within(1e-12));
        assertThat(base.get("ood_worst_accuracy").asDouble()).isCloseTo(0.65, within(1e-12));
    }

    @Test
    void domainsWhereTheModelAndTheBaseAreAtOrBelowChanceAreNamed() {
        UUID id = UUID.fromString(job);
        // 3 classes: chance is 1/3. rotated: both at or below it; blurred: only the base is.
        evaluations.save(eval(id, null, train, EvaluationKind.ID, "clean", EvaluatedModel.FINE_TUNED, 0.90, 100));
        evaluations.save(eval(id, null, ood1, EvaluationKind.OOD, "rotated", EvaluatedModel.FINE_TUNED, 0.32, 50));
        evaluations.save(eval(id, null, ood2, EvaluationKind.OOD, "blurred", EvaluatedModel.FINE_TUNED, 0.60, 200));
        JsonNode before = api.get("/v1/fine-tuning/jobs/" + job + "/evaluations").json().get("summary");
        assertThat(before.get("at_or_below_chance").size()).as("no base reference yet").isZero();
        evaluations.save(eval(id, null, train, EvaluationKind.ID, "clean", EvaluatedModel.BASE_REFERENCE, 0.80, 100));
        evaluations.save(eval(id, null, ood1, EvaluationKind.OOD, "rotated", EvaluatedModel.BASE_REFERENCE, 0.30, 50));
        evaluations.save(eval(id, null, ood2, EvaluationKind.OOD, "blurred", EvaluatedModel.BASE_REFERENCE, 0.20, 200));

        JsonNode summary = api.get("/v1/fine-tuning/jobs/" + job + "/evaluations").json().get("summary");
        assertThat(summary.get("chance_accuracy").asDouble()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(summary.get("at_or_below_chance").valueStream().map(JsonNode::asString)).containsExactly("rotated");
    }

    @Test
    void noEvaluationsYetMeansAnEmptySummary() {
        JsonNode list = api.get("/v1/fine-tuning/jobs/" + job + "/evaluations").json();
        assertThat(list.get("data").size()).isZero();
        assertThat(list.get("summary").get("id_accuracy").isNull()).isTrue();
        assertThat(list.get("summary").has("base_reference")).isFalse();
    }

    @Test
    void aSucceededJobsAdapterIsDescribedAndStreamedInBothFormats() {
        byte[] peft = "PK-fake-peft-zip".repeat(5000).getBytes(StandardCharsets.UTF_8);
        byte[] merged = new byte[300_000];
        new java.util.Random(3).nextBytes(merged);
        ArtifactRef peftRef = artifacts.put(ArtifactStore.KIND_ADAPTER, "adapter.zip", "application/zip",
                new ByteArrayInputStream(peft));
        ArtifactRef mergedRef = artifacts.put(ArtifactStore.KIND_MERGED_MODEL, "model.safetensors",
                "application/octet-stream", new ByteArrayInputStream(merged));
        AdapterEntity adapter = new AdapterEntity(UUID.randomUUID());
        adapter.setJobId(UUID.fromString(job));
        adapter.setBaseModelId(BASE_MODEL);
        adapter.setPeftArtifactId(peftRef.id());
        adapter.setMergedArtifactId(mergedRef.id());
        adapter.setMethodType("largo");
        adapter.setRank(16);
        adapters.save(adapter);
        jdbc.update("update jobs set status = 'succeeded', progress = 1, fine_tuned_adapter_id = ?, finished_at = now()"
                + " where id = ?::uuid", adapter.getId(), job);

        JsonNode finished = api.get("/v1/fine-tuning/jobs/" + job).json();
        assertThat(finished.get("status").asString()).isEqualTo("succeeded");
        String adapterId = finished.get("fine_tuned_adapter").asString();
        assertThat(adapterId).isEqualTo(adapter.getId().toString());

        JsonNode described = api.get("/v1/adapters/" + adapterId).json();
        assertThat(described.get("method").asString()).isEqualTo("largo");
        assertThat(described.get("rank").asInt()).isEqualTo(16);
        assertThat(described.get("name").asString()).startsWith(BASE_MODEL + ":largo:robust:");
        assertThat(described.get("files").valueStream().map(f -> f.get("format").asString()))
                .containsExactly("peft", "merged");
        assertThat(described.get("files").get(1).get("sha256").asString()).isEqualTo(mergedRef.sha256());

        Exchange zip = api.get("/v1/adapters/" + adapterId + "/download");
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.contentType()).isEqualTo("application/zip");
        assertThat(zip.header("Content-Disposition")).contains("attachment").contains(".zip");
        assertThat(zip.body()).isEqualTo(peft);

        Exchange model = api.get("/v1/adapters/" + adapterId + "/download?format=merged");
        assertThat(model.contentType()).isEqualTo("application/octet-stream");
        assertThat(model.body()).isEqualTo(merged);

        assertThat(api.get("/v1/adapters/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.get("/v1/adapters/" + UUID.randomUUID() + "/download").status()).isEqualTo(404);
    }

    @Test
    void unknownJobsAreNotFound() {
        String unknown = "/v1/fine-tuning/jobs/" + UUID.randomUUID();
        for (String path : List.of("", "/events", "/metrics", "/checkpoints", "/evaluations")) {
            Exchange response = api.get(unknown + path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.json().get("type").asString()).isEqualTo("urn:largo:problem:not-found");
            assertThat(response.json().get("instance").asString()).isEqualTo(unknown + path);
        }
    }

    private static EvaluationEntity eval(UUID job, Integer epoch, String split, EvaluationKind kind, String domain,
            EvaluatedModel model, double accuracy, int count) {
        return new EvaluationEntity(job, epoch, split, kind, domain, model, accuracy, 0.5, 0.05, count);
    }
}
