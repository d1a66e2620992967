package dev.largo.service.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.testsupport.PostgresTestDatabase;
import dev.largo.service.testsupport.ContractClient;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.data.styles.StyleTransform;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance test with real processes: the service jar and two worker jars
 * ({@code java -jar}) on one real PostgreSQL, everything over HTTP (every exchange checked against the
 * contract). One worker is killed with SIGKILL in the middle of an epoch; its job is resumed by the other
 * from the last checkpoint and ends with the same adapter as the same job run without interruption. A
 * running job is cancelled; a job with an incompatible dataset fails without retries; a downloaded PEFT zip
 * loaded back into the engine reproduces the stored ID accuracy.
 *
 * <p>Runs in {@code verify} (maven-failsafe-plugin), after {@code package} has built
 * {@code service/target/service-*.jar} and {@code worker/runtime/target/largo-worker-exec.jar}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkersEndToEndIT {

    private static final String JOBS = JobsOverHttp.JOBS;
    /** Examples of the long training set / batch size: steps per epoch of the job that gets its worker killed. */
    private static final int LONG_EXAMPLES = 960;
    private static final int LONG_BATCH = 8;
    private static final int STEPS_PER_EPOCH = LONG_EXAMPLES / LONG_BATCH;

    private static final Map<String, String> common = new LinkedHashMap<>();

    private static Path workDirectory;
    /** The adapter of the long job run without interruption (test 1), for the resumed runs to match. */
    private static Map<String, float[]> uninterruptedAdapter;
    private static JavaProcess service;
    private static final Map<String, JavaProcess> workers = new LinkedHashMap<>();
    private static ContractClient api;
    private static JobsOverHttp jobs;

    private static String model;
    private static Path modelWeights;
    private static String longTrain;
    private static String shortTrain;
    private static ImageDataset idTestData;
    private static Map<String, String> splits;

    @BeforeAll
    static void startProcesses() throws Exception {
        workDirectory = Path.of(System.getProperty("largo.e2e.dir", "target/e2e")).toAbsolutePath();
        PostgresTestDatabase database = PostgresTestDatabase.get();
        PostgresTestDatabase.truncateAllTables(database.dataSource());
        int port = JobsOverHttp.freePort();
        common.putAll(LargoJars.databaseEnvironment(database.jdbcUrl(), database.username(), database.password()));
        // A killed worker's job is back in the queue a few seconds later.
        common.put("LARGO_QUEUE_LEASE", "4s");
        common.put("LARGO_QUEUE_HEARTBEAT", "500ms");
        common.put("LARGO_QUEUE_REAPER_INTERVAL", "500ms");
        common.put("LARGO_QUEUE_POLL_INTERVAL", "1s");
        common.put("LARGO_QUEUE_BACKOFF_BASE", "200ms");
        common.put("LARGO_QUEUE_BACKOFF_CAP", "1s");
        // One libtorch thread per worker: two workers share two cores, and both compute alike.
        common.put("OMP_NUM_THREADS", "1");

        Map<String, String> serviceEnv = new LinkedHashMap<>(common);
        serviceEnv.put("PORT", Integer.toString(port));
        serviceEnv.put("LARGO_WORKER_ENABLED", "false");
        // this test trains the image samples; converting and storing the built-in text model would only slow its start
        serviceEnv.put("LARGO_BUILTINS_TEXT_MODEL", "false");
        service = LargoJars.startService("service", serviceEnv, workDirectory.resolve("logs"));
        service.awaitOutput("Started LargoServiceApplication", Duration.ofMinutes(3));
        for (String name : List.of("worker-a", "worker-b")) {
            startWorker(name);
        }
        for (JavaProcess worker : workers.values()) {
            worker.awaitOutput("worker " + worker.name() + " started", Duration.ofMinutes(3));
        }
        jobs = new JobsOverHttp(port, workDirectory, WorkersEndToEndIT::workerLogs);
        api = jobs.api();

        modelWeights = workDirectory.resolve("model.safetensors");
        TinyJobs.writeTinyVitWeights(7, modelWeights);
        model = jobs.uploadModel(modelWeights, "tiny-vit");
        longTrain = jobs.uploadDataset("train-long", TinyJobs.quadrants(LONG_EXAMPLES, 4, 1, 1), "clean");
        shortTrain = jobs.uploadDataset("train-short", TinyJobs.quadrants(96, 4, 1, 2), "clean");
        idTestData = TinyJobs.quadrants(64, 4, 1, 3);
        String idTest = jobs.uploadDataset("test-id", idTestData, "clean");
        String oodTest = jobs.uploadDataset("test-noise", StyleTransform.apply(TinyJobs.quadrants(64, 4, 1, 4), Style.NOISE,
                5), "noise");
        splits = new LinkedHashMap<>();
        splits.put(idTest, "id");
        splits.put(oodTest, "ood");
    }

    private static JavaProcess startWorker(String name) {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("LARGO_WORKER_NAME", name);
        env.put("LARGO_WORKER_DEVICE", "cpu");
        env.put("LARGO_WORKER_WORK_DIR", workDirectory.resolve("work").toString());
        env.put("LARGO_WORKER_METRICS_EVERY_STEPS", "1");
        env.put("LARGO_WORKER_FLUSH_EVERY_STEPS", "1");
        env.put("LARGO_WORKER_CANCEL_POLL_INTERVAL", "200ms");
        JavaProcess worker = LargoJars.startWorker(name, env, workDirectory.resolve("logs"));
        workers.put(name, worker);
        return worker;
    }

    private static String workerLogs() {
        StringBuilder logs = new StringBuilder();
        workers.values().forEach(w -> logs.append("\n--- ").append(w.name()).append(" ---\n").append(w.tail()));
        return logs.toString();
    }

    @AfterAll
    static void stopProcesses() throws InterruptedException {
        for (JavaProcess worker : workers.values()) {
            worker.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    @Order(1)
    void everyJobSucceedsWhenAWorkerIsKilledMidEpochAndTheResumedAdapterEqualsTheUninterruptedOne() throws Exception {
        String request = TinyJobs.jobRequest(model, longTrain, splits, "largo", 3, LONG_BATCH, 5e-3, 11);
        String interrupted = jobs.submit(request);
        String uninterrupted = jobs.submit(request);
        String small = jobs.submit(TinyJobs.jobRequest(model, shortTrain, splits, "lora", 2, 16, 1e-2, 12));

        // Kill the worker of the first job while it is in the middle of its second epoch.
        JsonNode running = jobs.await(interrupted, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > STEPS_PER_EPOCH + 3, Duration.ofMinutes(3));
        long stepAtKill = running.path("current_step").asLong();
        JavaProcess victim = workers.get(jobs.claimedBy(interrupted));
        victim.kill();
        assertThat(stepAtKill).as("killed in the middle of epoch 2").isBetween(STEPS_PER_EPOCH + 4L,
                2L * STEPS_PER_EPOCH - 2);

        for (String id : List.of(interrupted, uninterrupted, small)) {
            JsonNode job = jobs.awaitEnd(id, Duration.ofMinutes(5));
            assertThat(job.path("status").asString()).as("%s: %s\nevents: %s", id, job, jobs.events(id)).isEqualTo("succeeded");
        }
        JsonNode resumed = api.get(JOBS + "/" + interrupted).json();
        assertThat(resumed.path("attempts").asInt()).as("claimed again after the kill").isEqualTo(2);
        List<JsonNode> resumeEvents = jobs.events(interrupted).stream()
                .filter(e -> e.path("type").asString().equals("job.resumed")).toList();
        assertThat(resumeEvents).hasSize(1);
        assertThat(resumeEvents.get(0).path("data").path("epoch").asInt()).as("resumed from the epoch-1 checkpoint")
                .isEqualTo(1);
        assertThat(jobs.claimedBy(interrupted)).isNotEqualTo(victim.name());

        Path resumedZip = jobs.download(resumed.path("fine_tuned_adapter").asString(), "resumed.zip");
        Path referenceZip = jobs.download(api.get(JOBS + "/" + uninterrupted).json().path("fine_tuned_adapter").asString(),
                "uninterrupted.zip");
        uninterruptedAdapter = TinyJobs.adapterTensors(referenceZip);
        double difference = TinyJobs.maxAbsDifference(TinyJobs.adapterTensors(resumedZip), uninterruptedAdapter);
        System.out.println("killed-and-resumed vs uninterrupted adapter: max |difference| = " + difference);
        assertThat(difference).as("max |resumed - uninterrupted| over every adapter tensor").isLessThanOrEqualTo(1e-6);

        JsonNode evaluations = api.get(JOBS + "/" + interrupted + "/evaluations").json();
        double storedIdAccuracy = finalIdAccuracy(evaluations);
        double reloaded = TinyJobs.idAccuracy(modelWeights, resumedZip, idTestData, LONG_BATCH);
        assertThat(reloaded).as("ID accuracy of the downloaded PEFT zip on the base model").isEqualTo(storedIdAccuracy);
        assertThat(evaluations.path("summary").path("base_reference").isNull()).isFalse();
    }

    @Test
    @Order(2)
    void aJobCancelledWhileRunningEndsCancelledWithinSecondsKeepingItsCheckpoint() throws Exception {
        String id = jobs.submit(TinyJobs.jobRequest(model, longTrain, splits, "largo", 20, LONG_BATCH, 5e-3, 21));
        jobs.await(id, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > STEPS_PER_EPOCH + 3, Duration.ofMinutes(3));
        long requested = System.nanoTime();
        assertThat(api.postJson(JOBS + "/" + id + "/cancel", "").status()).isEqualTo(200);
        JsonNode job = jobs.await(id, j -> !"running".equals(j.path("status").asString()), Duration.ofSeconds(30));
        double seconds = (System.nanoTime() - requested) / 1e9;
        System.out.printf("cancel of a running job took effect in %.2f s%n", seconds);
        assertThat(job.path("status").asString()).isEqualTo("cancelled");
        assertThat(seconds).as("seconds from the cancel request to status cancelled").isLessThan(5);
        JsonNode checkpoints = api.get(JOBS + "/" + id + "/checkpoints").json().path("data");
        assertThat(checkpoints.size()).as("checkpoints kept").isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(3)
    void aJobWithAnIncompatibleDatasetFailsWithAReadableErrorAndNoRetry() throws Exception {
        String rgb = jobs.uploadDataset("train-rgb", TinyJobs.quadrants(96, 4, 3, 31), "clean");
        String id = jobs.submit(TinyJobs.jobRequest(model, rgb, splits, "lora", 2, 16, 1e-2, 31));
        JsonNode job = jobs.awaitEnd(id, Duration.ofMinutes(2));
        assertThat(job.path("status").asString()).isEqualTo("failed");
        assertThat(job.path("error").path("code").asString()).isEqualTo("invalid_dataset");
        assertThat(job.path("error").path("param").asString()).isEqualTo("training_dataset");
        assertThat(job.path("error").path("message").asString()).contains("3-channel images")
                .contains("takes 1-channel images");
        assertThat(job.path("attempts").asInt()).as("not retried").isEqualTo(1);
    }

    @Test
    @Order(4)
    void aWorkerStoppedWithSigtermCheckpointsMidEpochAndReleasesItsJobForAnotherWorker() throws Exception {
        assertThat(uninterruptedAdapter).as("test 1 ran").isNotNull();
        String id = jobs.submit(TinyJobs.jobRequest(model, longTrain, splits, "largo", 3, LONG_BATCH, 5e-3, 11));
        jobs.await(id, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > STEPS_PER_EPOCH + 3, Duration.ofMinutes(3));
        JavaProcess worker = workers.get(jobs.claimedBy(id));
        int exit = worker.terminate(Duration.ofSeconds(60));
        System.out.println(worker.name() + " exited with " + exit + " after SIGTERM");

        JsonNode released = api.get(JOBS + "/" + id).json();
        assertThat(released.path("status").asString()).as("%s\nevents: %s\n%s", released, jobs.events(id), worker.tail())
                .isEqualTo("queued");
        assertThat(released.path("attempts").asInt()).as("a release does not count as an attempt").isZero();
        assertThat(jobs.events(id)).extracting(e -> e.path("type").asString()).contains("job.released");
        JsonNode checkpoints = api.get(JOBS + "/" + id + "/checkpoints").json().path("data");
        long stoppedAt = checkpoints.get(checkpoints.size() - 1).path("step").asLong();
        assertThat(stoppedAt % STEPS_PER_EPOCH).as("the last checkpoint is where it stopped, mid-epoch").isNotZero();

        JavaProcess next = startWorker("worker-c");
        next.awaitOutput("worker worker-c started", Duration.ofMinutes(3));
        JsonNode done = jobs.awaitEnd(id, Duration.ofMinutes(5));
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        List<JsonNode> resumed = jobs.events(id).stream().filter(e -> e.path("type").asString().equals("job.resumed"))
                .toList();
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).path("data").path("step").asLong()).isEqualTo(stoppedAt);
        Path zip = jobs.download(done.path("fine_tuned_adapter").asString(), "sigterm.zip");
        double difference = TinyJobs.maxAbsDifference(TinyJobs.adapterTensors(zip), uninterruptedAdapter);
        System.out.println("SIGTERM-released-and-resumed vs uninterrupted adapter: max |difference| = " + difference);
        assertThat(difference).isLessThanOrEqualTo(1e-6);
    }

    private static double finalIdAccuracy(JsonNode evaluations) {
        for (JsonNode row : evaluations.path("data")) {
            if (row.path("model").asString().equals("fine_tuned") && row.path("epoch").isNull()
                    && row.path("kind").asString().equals("id")) {
                return row.path("accuracy").asDouble();
            }
        }
        throw new AssertionError("no final fine-tuned ID evaluation in " + evaluations);
    }
}
