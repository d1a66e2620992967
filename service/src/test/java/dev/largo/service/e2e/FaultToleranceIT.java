package dev.largo.service.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.largo.db.embedded.EmbeddedPostgresServer;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.data.styles.StyleTransform;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Faults of the infrastructure around a training job, with real processes: PostgreSQL (its own server, on a
 * data directory and port it is stopped and started on), the service jar and one worker jar
 * ({@code java -jar}), everything checked over HTTP against the contract.
 * <ul>
 *   <li>PostgreSQL is stopped for several seconds while a job trains and started again: the worker's pool
 *       reconnects, and the job ends succeeded in its first attempt with every epoch's checkpoint, every
 *       event and every step's metric.</li>
 *   <li>The service is killed (SIGKILL) and started again while a worker trains: the worker goes on without
 *       it, and the new service process answers with the job's complete history.</li>
 * </ul>
 * The service's Prometheus metrics of the queue (read from the database) are checked against the jobs' own
 * records, and the worker's structured (ECS) log lines carry the job id and tenant.
 * A worker killed mid-epoch is {@link WorkersEndToEndIT}'s test.
 *
 * <p>Runs in {@code verify} (maven-failsafe-plugin), after {@code package} has built both jars.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {

    private static final int EXAMPLES = 480;
    private static final int BATCH = 8;
    private static final int STEPS_PER_EPOCH = EXAMPLES / BATCH;
    private static final int EPOCHS = 4;
    /** Longer than a heartbeat interval and than an epoch here, shorter than the lease. */
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final String WORKER = "fault-worker";

    private static final Map<String, String> common = new LinkedHashMap<>();

    private static Path workDirectory;
    private static Path databaseDirectory;
    private static int databasePort;
    private static EmbeddedPostgresServer postgres;
    private static int servicePort;
    private static JavaProcess service;
    private static JavaProcess worker;
    private static JobsOverHttp jobs;
    private static String model;
    private static String train;
    private static Map<String, String> splits;

    @BeforeAll
    static void startProcesses() throws Exception {
        workDirectory = Path.of(System.getProperty("largo.e2e.dir", "target/e2e")).toAbsolutePath().resolve("faults");
        deleteRecursively(workDirectory);
        Files.createDirectories(workDirectory);
        databaseDirectory = workDirectory.resolve("postgres");
        databasePort = JobsOverHttp.freePort();
        postgres = EmbeddedPostgresServer.start(databaseDirectory, databasePort);

        common.putAll(LargoJars.databaseEnvironment(postgres.jdbcUrl(), postgres.username(), postgres.password()));
        // The lease outlasts the outage: a worker that cannot reach the database keeps its job.
        common.put("LARGO_QUEUE_LEASE", "30s");
        common.put("LARGO_QUEUE_HEARTBEAT", "1s");
        common.put("LARGO_QUEUE_REAPER_INTERVAL", "1s");
        common.put("LARGO_QUEUE_POLL_INTERVAL", "1s");
        common.put("OMP_NUM_THREADS", "1");
        servicePort = JobsOverHttp.freePort();
        service = startService();

        Map<String, String> workerEnvironment = new LinkedHashMap<>(common);
        workerEnvironment.put("LARGO_WORKER_NAME", WORKER);
        workerEnvironment.put("LARGO_WORKER_DEVICE", "cpu");
        workerEnvironment.put("LARGO_WORKER_WORK_DIR", workDirectory.resolve("work").toString());
        workerEnvironment.put("LARGO_WORKER_METRICS_EVERY_STEPS", "1");
        workerEnvironment.put("LARGO_WORKER_FLUSH_EVERY_STEPS", "5");
        workerEnvironment.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        worker = LargoJars.startWorker("worker", workerEnvironment, workDirectory.resolve("logs"));
        service.awaitOutput("Started LargoServiceApplication", Duration.ofMinutes(3));
        worker.awaitOutput("worker " + WORKER + " started", Duration.ofMinutes(3));

        jobs = new JobsOverHttp(servicePort, workDirectory, FaultToleranceIT::logs);
        Path weights = workDirectory.resolve("model.safetensors");
        TinyJobs.writeTinyVitWeights(7, weights);
        model = jobs.uploadModel(weights, "tiny-vit");
        train = jobs.uploadDataset("train", TinyJobs.quadrants(EXAMPLES, 4, 1, 1), "clean");
        splits = new LinkedHashMap<>();
        splits.put(jobs.uploadDataset("test-id", TinyJobs.quadrants(64, 4, 1, 3), "clean"), "id");
        splits.put(jobs.uploadDataset("test-noise", StyleTransform.apply(TinyJobs.quadrants(64, 4, 1, 4), Style.NOISE, 5),
                "noise"), "ood");
    }

    private static JavaProcess startService() {
        Map<String, String> environment = new LinkedHashMap<>(common);
        environment.put("PORT", Integer.toString(servicePort));
        environment.put("LARGO_WORKER_ENABLED", "false");
        environment.put("LARGO_BUILTINS_ENABLED", "false");
        environment.put("LARGO_MONITORING_REFRESH_INTERVAL", "500ms");
        return LargoJars.startService("service-" + System.nanoTime(), environment, workDirectory.resolve("logs"));
    }

    @AfterAll
    static void stopProcesses() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aJobOutlivesAPostgresRestartWithoutLosingAnything() throws Exception {
        String id = jobs.submit(TinyJobs.jobRequest(model, train, splits, "largo", EPOCHS, BATCH, 5e-3, 11));
        long stepAtStop = jobs.await(id, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > STEPS_PER_EPOCH + 3, Duration.ofMinutes(3))
                .path("current_step").asLong();

        postgres.close();
        long stopped = System.nanoTime();
        Thread.sleep(OUTAGE.toMillis());
        postgres = EmbeddedPostgresServer.start(databaseDirectory, databasePort);
        System.out.printf("PostgreSQL was down for %.1f s from step %d on%n", (System.nanoTime() - stopped) / 1e9,
                stepAtStop);

        JsonNode done = jobs.awaitEnd(id, Duration.ofMinutes(3));
        assertThat(done.path("status").asString()).as("%s\nevents: %s%s", done, jobs.events(id), logs())
                .isEqualTo("succeeded");
        assertThat(done.path("attempts").asInt()).as("the worker kept its job through the outage").isEqualTo(1);
        assertCompleteHistory(id);
        assertThat(worker.output()).as("the worker saw the outage").containsAnyOf("heartbeat failed",
                "could not write progress", "retrying");
    }

    @Test
    @Order(2)
    void aJobTrainsOnWhileTheServiceIsKilledAndRestarted() throws Exception {
        String id = jobs.submit(TinyJobs.jobRequest(model, train, splits, "largo", EPOCHS, BATCH, 5e-3, 12));
        long stepAtKill = jobs.await(id, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > 3, Duration.ofMinutes(3)).path("current_step").asLong();
        service.kill();

        // Without the service the worker goes on training and recording (read from the database directly).
        JdbcTemplate jdbc = new JdbcTemplate(dataSource());
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long step = stepAtKill;
        while (step < stepAtKill + STEPS_PER_EPOCH && !"succeeded".equals(status(jdbc, id))) {
            assertThat(System.nanoTime()).as("the job advances while the service is down:\n%s", worker.tail())
                    .isLessThan(deadline);
            Thread.sleep(200);
            step = jdbc.queryForObject("select coalesce(current_step, 0) from jobs where id = ?::uuid", Long.class, id);
        }
        System.out.printf("the job went from step %d to %d while the service was down%n", stepAtKill, step);

        service = startService();
        service.awaitOutput("Started LargoServiceApplication", Duration.ofMinutes(3));
        JsonNode done = jobs.awaitEnd(id, Duration.ofMinutes(3));
        assertThat(done.path("status").asString()).as("%s\nevents: %s%s", done, jobs.events(id), logs())
                .isEqualTo("succeeded");
        assertThat(done.path("attempts").asInt()).as("the service restart did not touch the job").isEqualTo(1);
        assertCompleteHistory(id);

        assertThat(worker.output().lines().filter(line -> line.contains("\"job_id\":\"" + id + "\"")))
                .as("structured worker log lines carry the job id and tenant")
                .isNotEmpty()
                .allMatch(line -> line.startsWith("{") && line.contains("\"tenant\":\"local\""));
    }

    @Test
    @Order(3)
    void theServiceServesPrometheusMetricsOfTheQueueAndTheRunningJobs() throws Exception {
        String id = jobs.submit(TinyJobs.jobRequest(model, train, splits, "lora", 2, BATCH, 5e-3, 13));
        jobs.await(id, job -> "running".equals(job.path("status").asString())
                && job.path("current_step").asLong() > 30, Duration.ofMinutes(3));
        PrometheusText running = awaitScrape(text -> text.value("largo_job_step_time_seconds",
                Map.of("job_id", id, "worker", WORKER)) != null);
        assertThat(running.value("largo_jobs", Map.of("status", "running"))).isEqualTo(1.0);
        assertThat(running.value("largo_jobs", Map.of("status", "succeeded"))).isEqualTo((double) succeededJobs().size());
        assertThat(running.value("largo_jobs_claimable", Map.of())).isZero();
        assertThat(running.value("largo_worker_heartbeat_age_seconds", Map.of("worker", WORKER)))
                .as("heartbeat every 1 s").isBetween(0.0, 10.0);
        List<Double> stepMillis = jobs.metrics(id, "train/step_ms").stream().map(m -> m.path("value").asDouble())
                .toList();
        assertThat(running.value("largo_job_step_time_seconds", Map.of("job_id", id, "worker", WORKER)) * 1000)
                .as("the median of recent steps lies among the recorded step times %s", stepMillis)
                .isBetween(stepMillis.stream().min(Double::compare).orElseThrow(),
                        stepMillis.stream().max(Double::compare).orElseThrow());

        assertThat(jobs.awaitEnd(id, Duration.ofMinutes(3)).path("status").asString()).isEqualTo("succeeded");
        List<JsonNode> succeeded = succeededJobs();
        PrometheusText finished = awaitScrape(text -> Double.valueOf(succeeded.size())
                .equals(text.value("largo_job_duration_seconds_count", Map.of("status", "succeeded"))));
        double runSeconds = 0;
        for (JsonNode job : succeeded) {
            runSeconds += Duration.between(OffsetDateTime.parse(job.path("started_at").asString()),
                    OffsetDateTime.parse(job.path("finished_at").asString())).toNanos() / 1e9;
        }
        assertThat(finished.value("largo_job_duration_seconds_sum", Map.of("status", "succeeded")))
                .as("the run times of the succeeded jobs, started to finished").isCloseTo(runSeconds, within(0.01));
        assertThat(finished.value("largo_job_duration_seconds_count", Map.of("status", "failed"))).isZero();
        assertThat(finished.value("largo_jobs", Map.of("status", "running"))).isZero();
        assertThat(finished.series("largo_job_step_time_seconds")).as("no running job, no step time").isEmpty();
        assertThat(finished.series("largo_worker_heartbeat_age_seconds")).isEmpty();
    }

    private static List<JsonNode> succeededJobs() {
        List<JsonNode> succeeded = new java.util.ArrayList<>();
        jobs.api().get(JobsOverHttp.JOBS + "?limit=100&status=succeeded").json().path("data").forEach(succeeded::add);
        return succeeded;
    }

    private static PrometheusText awaitScrape(java.util.function.Predicate<PrometheusText> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            PrometheusText text = PrometheusText.scrape(servicePort);
            if (condition.test(text)) {
                return text;
            }
            assertThat(System.nanoTime()).as("metrics did not get there:\n%s", text).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Everything one uninterrupted run leaves: one claim, each epoch started, completed, checkpointed and
     * evaluated once, the final evaluations, and the training loss of every step exactly once.
     */
    private static void assertCompleteHistory(String id) {
        List<JsonNode> events = jobs.events(id);
        List<String> types = events.stream().map(e -> e.path("type").asString()).toList();
        assertThat(types).as("events").filteredOn("job.claimed"::equals).hasSize(1);
        assertThat(types).doesNotContain("job.resumed", "job.retry_scheduled");
        assertThat(types.get(types.size() - 1)).isEqualTo("job.succeeded");
        for (String type : List.of("epoch.started", "epoch.completed", "checkpoint.saved")) {
            assertThat(events.stream().filter(e -> e.path("type").asString().equals(type))
                    .map(e -> e.path("data").path("epoch").asInt())).as(type).containsExactly(1, 2, 3, 4);
        }
        assertThat(events.stream().filter(e -> e.path("type").asString().equals("evaluation.completed")))
                .as("an evaluation per epoch and the base reference").hasSize(EPOCHS + 1);

        JsonNode checkpoints = jobs.api().get(JobsOverHttp.JOBS + "/" + id + "/checkpoints").json().path("data");
        assertThat(checkpoints).extracting(c -> c.path("step").asLong())
                .containsExactly(LongStream.rangeClosed(1, EPOCHS).map(e -> e * STEPS_PER_EPOCH).boxed().toArray(Long[]::new));

        List<Long> lossSteps = jobs.metrics(id, "train/loss").stream().map(m -> m.path("step").asLong()).toList();
        assertThat(lossSteps).as("train/loss steps").containsExactlyElementsOf(
                LongStream.rangeClosed(1, (long) EPOCHS * STEPS_PER_EPOCH).boxed().toList());
    }

    private static String status(JdbcTemplate jdbc, String id) {
        return jdbc.queryForObject("select status from jobs where id = ?::uuid", String.class, id);
    }

    private static PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(postgres.username());
        return dataSource;
    }

    private static String logs() {
        return "\n--- worker ---\n" + worker.tail() + "\n--- " + service.name() + " ---\n" + service.tail();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
