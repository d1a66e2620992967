package dev.largo.db.queue;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariDataSource;
import dev.largo.db.embedded.EmbeddedPostgresServer;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Queue benchmark against a real PostgreSQL: by default a fresh embedded server configured as in the default
 * mode (durable commits), or the database named by {@code -Dlargo.bench.jdbc-url} (with
 * {@code -Dlargo.bench.username}, {@code -Dlargo.bench.password}).
 *
 * <ol>
 *   <li>Enqueue-to-claim latency: one idle worker waits in {@link JobWakeups#awaitWork} (poll fallback 5 s);
 *       jobs are enqueued one at a time with the worker idle; latency = from the start of
 *       {@link JobQueue#enqueue} (insert + NOTIFY + commit) to the return of the worker's claim.</li>
 *   <li>Claim throughput: 8 claimer threads drain a queue of queued jobs.</li>
 * </ol>
 * Run: {@code ./mvnw -B -q -pl db test-compile exec:java -Dexec.mainClass=dev.largo.db.queue.QueueBenchmark
 * -Dexec.classpathScope=test} (optional {@code -Dexec.args="latencySamples throughputJobs claimers rounds"},
 * default {@code "300 2000 8 3"}).
 */
public final class QueueBenchmark {

    private QueueBenchmark() {
    }

    /** The command line (picocli): positional, each optional; {@code --help} lists them with their defaults. */
    @Command(name = "QueueBenchmark", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Enqueue-to-claim latency and claim throughput of the PostgreSQL job queue.")
    static final class Arguments implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "LATENCY_SAMPLES", defaultValue = "300")
        int latencySamples;
        @Parameters(index = "1", arity = "0..1", paramLabel = "THROUGHPUT_JOBS", defaultValue = "2000")
        int throughputJobs;
        @Parameters(index = "2", arity = "0..1", paramLabel = "CLAIMERS", defaultValue = "8")
        int claimers;
        @Parameters(index = "3", arity = "0..1", paramLabel = "ROUNDS", defaultValue = "3")
        int rounds;

        @Override
        public Integer call() throws Exception {
            measure(latencySamples, throughputJobs, claimers, rounds);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Arguments()).execute(args));
    }

    private static void measure(int latencySamples, int throughputJobs, int claimers, int rounds) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);

        String url = System.getProperty("largo.bench.jdbc-url");
        Path dataDir = url == null ? Files.createTempDirectory("largo-bench-pg") : null;
        EmbeddedPostgresServer server = url == null ? EmbeddedPostgresServer.start(dataDir, 0) : null;
        String kind = server == null ? "external" : "embedded, default-mode settings";
        try (HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(server == null ? url : server.jdbcUrl());
            dataSource.setUsername(server == null ? System.getProperty("largo.bench.username") : server.username());
            dataSource.setPassword(server == null ? System.getProperty("largo.bench.password") : server.password());
            dataSource.setMaximumPoolSize(claimers + 4);
            Flyway.configure().dataSource(dataSource).load().migrate();
            PostgresTestDatabase.truncateAllTables(dataSource);

            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            JobQueue queue = new JobQueue(jdbc, new DataSourceTransactionManager(dataSource), QueueProperties.defaults());
            QueueFixture fixture = new QueueFixture(jdbc);

            System.out.println("LARGO queue benchmark");
            System.out.println("date:       " + OffsetDateTime.now());
            System.out.println("machine:    " + Runtime.getRuntime().availableProcessors() + " CPUs, " + cpuModel());
            System.out.println("java:       " + System.getProperty("java.version"));
            System.out.println("postgresql: " + jdbc.queryForObject("show server_version", String.class) + " (" + kind
                    + ", fsync " + jdbc.queryForObject("show fsync", String.class) + ", synchronous_commit "
                    + jdbc.queryForObject("show synchronous_commit", String.class) + ")");

            latency(queue, fixture, dataSource, latencySamples);
            for (int round = 1; round <= rounds; round++) {
                throughput(queue, fixture, jdbc, throughputJobs, claimers);
                jdbc.update("delete from jobs where status = 'running'");
            }
        } finally {
            if (server != null) {
                server.close();
                FileSystemUtils.deleteRecursively(dataDir);
            }
        }
    }

    private static void latency(JobQueue queue, QueueFixture fixture, HikariDataSource dataSource, int samples)
            throws Exception {
        List<UUID> jobs = fixture.jobs(samples + 20, "validating", 0, 3);
        SynchronousQueue<Long> claimedAt = new SynchronousQueue<>();
        try (JobWakeups wakeups = new JobWakeups(dataSource)) {
            if (!wakeups.start(Duration.ofSeconds(10))) {
                throw new IllegalStateException("could not LISTEN");
            }
            Thread worker = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Optional<ClaimedJob> job = queue.claim("bench-worker", Duration.ofSeconds(60));
                        if (job.isPresent()) {
                            claimedAt.put(System.nanoTime());
                        } else {
                            wakeups.awaitWork(Duration.ofSeconds(5));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-worker");
            worker.setDaemon(true);
            worker.start();

            long[] micros = new long[samples];
            for (int i = 0; i < jobs.size(); i++) {
                // Let the worker go idle (back in awaitWork) before the next job arrives.
                Thread.sleep(5 + ThreadLocalRandom.current().nextInt(10));
                long start = System.nanoTime();
                queue.enqueue(jobs.get(i));
                Long end = claimedAt.poll(30, TimeUnit.SECONDS);
                if (end == null) {
                    throw new IllegalStateException("job " + jobs.get(i) + " was not claimed within 30 s");
                }
                if (i >= 20) { // the first 20 warm up the JIT and connections
                    micros[i - 20] = (end - start) / 1_000;
                }
            }
            worker.interrupt();
            Arrays.sort(micros);
            System.out.printf("enqueue-to-claim latency, 1 idle worker on LISTEN/NOTIFY, %d jobs: "
                    + "p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", samples, percentile(micros, 50) / 1000.0,
                    percentile(micros, 99) / 1000.0, micros[micros.length - 1] / 1000.0);
        }
    }

    private static void throughput(JobQueue queue, QueueFixture fixture, JdbcTemplate jdbc, int jobs, int claimers)
            throws Exception {
        fixture.queuedJobs(jobs, 0);
        jdbc.execute("analyze jobs");
        ConcurrentHashMap<UUID, Boolean> claimed = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < claimers; c++) {
            String worker = "claimer-" + c;
            results.add(pool.submit(() -> {
                start.await();
                int n = 0;
                Optional<ClaimedJob> job;
                while ((job = queue.claim(worker, Duration.ofSeconds(60))).isPresent()) {
                    if (claimed.putIfAbsent(job.get().id(), true) != null) {
                        throw new IllegalStateException("job claimed twice: " + job.get().id());
                    }
                    n++;
                }
                return n;
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        if (total != jobs) {
            throw new IllegalStateException("claimed " + total + " of " + jobs + " jobs");
        }
        System.out.printf("claim throughput, %d claimers, %d jobs: %.0f jobs/s (%.2f s, every job claimed once)%n",
                claimers, jobs, jobs / seconds, seconds);
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
