package dev.largo.worker.runtime;

import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.JobWakeups;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Workers on a real PostgreSQL with the real engine. The Spring context provides the {@code db} side (as in
 * the worker application); each test builds its workers from it with their own names, so several workers
 * can share one database, as separate processes would. Short leases and intervals keep the tests fast.
 */
@SpringBootTest(classes = WorkerTestApplication.class, properties = {
        "spring.jpa.open-in-view=false",
        // tests build and start their workers themselves
        "largo.worker.enabled=false",
        // and drive the reaper themselves
        "largo.queue.reaper-enabled=false",
        "largo.queue.lease=4s",
        "largo.queue.heartbeat=500ms",
        "largo.queue.poll-interval=300ms",
        "largo.queue.backoff-base=100ms",
        "largo.queue.backoff-cap=200ms"})
abstract class WorkerIntegrationTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.registerProperties(registry);
    }

    @Autowired
    protected DataSource dataSource;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected PlatformTransactionManager transactionManager;
    @Autowired
    protected JobQueue queue;
    @Autowired
    protected JobWakeups wakeups;
    @Autowired
    protected ProgressWriter progressWriter;
    @Autowired
    protected ArtifactStore artifacts;
    @Autowired
    protected BaseModelRepository models;
    @Autowired
    protected DatasetRepository datasets;
    @Autowired
    protected JobRepository jobs;
    @Autowired
    protected CheckpointRepository checkpoints;
    @Autowired
    protected EvaluationRepository evaluations;
    @Autowired
    protected AdapterRepository adapters;

    @TempDir
    protected Path tempDir;

    protected TrainingFixtures fixtures;
    private final List<QueueWorker> started = new ArrayList<>();

    @BeforeEach
    void emptyDatabase() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        fixtures = new TrainingFixtures(artifacts, models, datasets, jobs, queue, transactionManager, tempDir);
    }

    @AfterEach
    void stopWorkers() {
        started.forEach(QueueWorker::stop);
        started.clear();
    }

    protected WorkerContext context() {
        return new WorkerContext(queue, wakeups, progressWriter, artifacts, jdbc, transactionManager, models, datasets,
                checkpoints, evaluations, adapters);
    }

    /** Test settings: every step logged, progress written every 2 steps, cancels polled every 100 ms. */
    protected WorkerProperties properties(String name) {
        return new WorkerProperties(true, name, WorkerDevice.CPU, 1, tempDir.resolve("work"), 1, 2,
                Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(30), false);
    }

    protected QueueWorker start(WorkerContext context, String name) {
        QueueWorker worker = context.newWorker(properties(name));
        worker.start();
        started.add(worker);
        return worker;
    }

    protected String status(UUID jobId) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId);
    }

    protected Map<String, Object> job(UUID jobId) {
        return jdbc.queryForMap("select * from jobs where id = ?", jobId);
    }

    /** Waits until the job reaches one of the statuses; fails with the job row and its events otherwise. */
    protected String awaitStatus(UUID jobId, Duration timeout, String... statuses) throws InterruptedException {
        List<String> wanted = List.of(statuses);
        awaitCondition(() -> wanted.contains(status(jobId)), timeout,
                () -> "job " + jobId + " did not reach " + wanted + ": " + job(jobId) + "\nevents: " + events(jobId));
        return status(jobId);
    }

    protected void awaitCondition(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get());
            }
            Thread.sleep(20);
        }
    }

    protected List<Map<String, Object>> events(UUID jobId) {
        return jdbc.queryForList("select type, level, message, data::text as data from job_events where job_id = ?"
                + " order by id", jobId);
    }

    protected List<String> eventTypes(UUID jobId) {
        return jdbc.queryForList("select type from job_events where job_id = ? order by id", String.class, jobId);
    }
}
