package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationKind;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.data.styles.StyleTransform;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A job submitted as the service does runs to {@code succeeded} and leaves everything a user looks at. */
class QueueWorkerTest extends WorkerIntegrationTest {

    private static final int TRAIN_EXAMPLES = 96;
    private static final int BATCH = 16;
    private static final int EPOCHS = 2;
    private static final int STEPS = EPOCHS * TRAIN_EXAMPLES / BATCH;

    @Test
    void aQueuedJobRunsToSucceededWithProgressCheckpointsEvaluationsAndADownloadableAdapter() throws Exception {
        String model = fixtures.tinyVit(7);
        // the Hub id an uploader gave: the adapter names it as its base
        var entity = models.findById(model).orElseThrow();
        entity.setHubId("acme/tiny-vit");
        models.save(entity);
        UUID train = fixtures.dataset("train", TinyJobs.quadrants(TRAIN_EXAMPLES, 4, 1, 1), "clean");
        ImageDataset idData = TinyJobs.quadrants(64, 4, 1, 2);
        UUID idTest = fixtures.dataset("test-clean", idData, "clean");
        UUID oodTest = fixtures.dataset("test-noise",
                StyleTransform.apply(TinyJobs.quadrants(64, 4, 1, 3), Style.NOISE, 4), "noise");
        Map<String, String> splits = new LinkedHashMap<>();
        splits.put(idTest.toString(), "id");
        splits.put(oodTest.toString(), "ood");
        UUID jobId = fixtures.submit(model, train, TinyJobs.jobRequest(model, train.toString(), splits, "largo", EPOCHS,
                BATCH, 1e-2, 5), "largo", 5);

        long started = System.nanoTime();
        start(context(), "worker-1");
        assertThat(awaitStatus(jobId, Duration.ofSeconds(90), "succeeded", "failed", "cancelled")).as("%s", events(jobId))
                .isEqualTo("succeeded");
        System.out.printf("tiny largo job (%d steps, 2 eval splits, base reference) took %.1f s%n", STEPS,
                (System.nanoTime() - started) / 1e9);

        Map<String, Object> job = job(jobId);
        assertThat(job).containsEntry("progress", 1.0).containsEntry("attempts", 1)
                .containsEntry("current_epoch", EPOCHS).containsEntry("current_step", (long) STEPS)
                .containsEntry("total_steps", (long) STEPS).containsEntry("lease_owner", null);

        List<String> types = eventTypes(jobId);
        assertThat(types.get(0)).isEqualTo("job.claimed");
        assertThat(types.get(types.size() - 1)).isEqualTo("job.succeeded");
        assertThat(types).filteredOn("epoch.started"::equals).hasSize(EPOCHS);
        assertThat(types).filteredOn("epoch.completed"::equals).hasSize(EPOCHS);
        assertThat(types).filteredOn("checkpoint.saved"::equals).hasSize(EPOCHS);
        assertThat(types).filteredOn("evaluation.completed"::equals).as("base reference + one per epoch")
                .hasSize(EPOCHS + 1);

        // Metrics every step (the test's logging interval), per-tensor gamma for largo.
        assertThat(jdbc.queryForList("select step from job_metrics where job_id = ? and name = 'train/loss' order by step",
                Long.class, jobId)).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, STEPS).boxed()
                .toList());
        List<String> gammaNames = jdbc.queryForList("select distinct name from job_metrics where job_id = ?"
                + " and name like 'gamma/%' order by name", String.class, jobId);
        // r=4 adapters on query, value and 3 dense layers of 2 blocks: 10 modules, an A and a B each.
        assertThat(gammaNames).hasSize(20).allMatch(n -> n.endsWith("lora_A") || n.endsWith("lora_B")
                || n.contains("lora"));
        assertThat(jdbc.queryForObject("select count(*) from job_metrics where job_id = ? and name like 'gamma/%'",
                Long.class, jobId)).isEqualTo(20L * STEPS);
        // Batched: metrics of many steps share a transaction (now() is the transaction's start time).
        long transactions = jdbc.queryForObject("select count(distinct created_at) from job_metrics where job_id = ?",
                Long.class, jobId);
        assertThat(transactions).as("transactions that wrote metrics, for %d steps", STEPS).isLessThan(STEPS);

        List<CheckpointEntity> stored = checkpoints.findByJobIdOrderByStepAsc(jobId);
        assertThat(stored).extracting(CheckpointEntity::getEpoch).containsExactly(1, 2);
        assertThat(stored).extracting(CheckpointEntity::getStep).containsExactly((long) STEPS / 2, (long) STEPS);
        assertThat(stored).allMatch(c -> artifacts.find(c.getArtifactId()).orElseThrow().sizeBytes() > 0);

        List<EvaluationEntity> rows = evaluations.findByJobIdOrderByIdAsc(jobId);
        assertThat(rows).filteredOn(r -> r.getModel() == EvaluatedModel.BASE_REFERENCE)
                .extracting(EvaluationEntity::getSplitName, EvaluationEntity::getEpoch, EvaluationEntity::getKind,
                        EvaluationEntity::getDomain)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(idTest.toString(), null, EvaluationKind.ID, "clean"),
                        org.assertj.core.groups.Tuple.tuple(oodTest.toString(), null, EvaluationKind.OOD, "noise"));
        assertThat(rows).filteredOn(r -> r.getModel() == EvaluatedModel.FINE_TUNED)
                .extracting(EvaluationEntity::getEpoch).containsExactlyInAnyOrder(1, 1, 2, 2, null, null);
        assertThat(rows).allMatch(r -> r.getCount() == 64 && r.getAccuracy() >= 0 && r.getAccuracy() <= 1
                && r.getLoss() != null && r.getEce() != null);
        EvaluationEntity finalId = rows.stream().filter(r -> r.getModel() == EvaluatedModel.FINE_TUNED
                && r.getEpoch() == null && r.getKind() == EvaluationKind.ID).findFirst().orElseThrow();
        EvaluationEntity lastEpochId = rows.stream().filter(r -> r.getModel() == EvaluatedModel.FINE_TUNED
                && Integer.valueOf(EPOCHS).equals(r.getEpoch()) && r.getKind() == EvaluationKind.ID).findFirst()
                .orElseThrow();
        assertThat(finalId.getAccuracy()).isEqualTo(lastEpochId.getAccuracy());

        UUID adapterId = (UUID) job.get("fine_tuned_adapter_id");
        AdapterEntity adapter = adapters.findById(adapterId).orElseThrow();
        assertThat(adapter.getJobId()).isEqualTo(jobId);
        assertThat(adapter.getMethodType()).isEqualTo("largo");
        assertThat(adapter.getRank()).as("svd init: rank 2r relative to W0").isEqualTo(8);
        assertThat(artifacts.find(adapter.getMergedArtifactId()).orElseThrow().kind()).isEqualTo("merged_model");
        Path zip = TinyJobs.save(artifacts.open(adapter.getPeftArtifactId()), tempDir.resolve("adapter.zip"));
        Path weights = TinyJobs.save(artifacts.open(models.findById(model).orElseThrow().getWeightsArtifactId()),
                tempDir.resolve("base.safetensors"));
        assertThat(TinyJobs.idAccuracy(weights, zip, idData, BATCH))
                .as("the downloaded PEFT zip on the base model reproduces the stored ID accuracy")
                .isEqualTo(finalId.getAccuracy());
        try (java.util.zip.ZipFile adapterZip = new java.util.zip.ZipFile(zip.toFile())) {
            var config = dev.largo.worker.engine.support.Json.MAPPER.readTree(
                    adapterZip.getInputStream(adapterZip.getEntry("adapter_config.json")).readAllBytes());
            assertThat(config.get("base_model_name_or_path").asString()).isEqualTo("acme/tiny-vit");
        }
        // the merged download is a complete Hugging Face model folder
        Path merged = TinyJobs.save(artifacts.open(adapter.getMergedArtifactId()), tempDir.resolve("merged.zip"));
        try (java.util.zip.ZipFile mergedZip = new java.util.zip.ZipFile(merged.toFile())) {
            assertThat(mergedZip.stream().map(java.util.zip.ZipEntry::getName))
                    .containsExactly("config.json", "model.safetensors", "preprocessor_config.json");
        }
    }

    @Test
    void aWorkerWithConcurrencyTwoTrainsTwoJobsAtOnce() throws Exception {
        String model = fixtures.tinyVit(7);
        UUID train = fixtures.dataset("train", TinyJobs.quadrants(48, 4, 1, 1), "clean");
        UUID test = fixtures.dataset("test", TinyJobs.quadrants(32, 4, 1, 2), "clean");
        Map<String, String> splits = Map.of(test.toString(), "id");
        List<UUID> jobIds = List.of(
                fixtures.submit(model, train, TinyJobs.jobRequest(model, train.toString(), splits, "lora", 3, 8, 1e-2, 1),
                        "lora", 1),
                fixtures.submit(model, train, TinyJobs.jobRequest(model, train.toString(), splits, "largo", 3, 8, 1e-2, 2),
                        "largo", 2));
        QueueWorker worker = context().newWorker(properties("worker-2").withConcurrency(2));
        worker.start();
        try {
            for (UUID jobId : jobIds) {
                assertThat(awaitStatus(jobId, Duration.ofSeconds(90), "succeeded", "failed", "cancelled"))
                        .as("%s", events(jobId)).isEqualTo("succeeded");
            }
        } finally {
            worker.stop();
        }
        // Both were claimed before either finished: they trained side by side, taking turns for the gradient.
        Map<String, Object> a = job(jobIds.get(0));
        Map<String, Object> b = job(jobIds.get(1));
        assertThat(((java.sql.Timestamp) a.get("started_at")).before((java.sql.Timestamp) b.get("finished_at"))
                && ((java.sql.Timestamp) b.get("started_at")).before((java.sql.Timestamp) a.get("finished_at")))
                .as("the two runs overlap in time: %s / %s", a, b).isTrue();
    }
}
