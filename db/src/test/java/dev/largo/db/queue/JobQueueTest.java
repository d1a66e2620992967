package dev.largo.db.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.largo.db.testsupport.DbIntegrationTest;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** The queue against a real PostgreSQL, with real concurrency where it matters. */
class JobQueueTest extends DbIntegrationTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired JdbcTemplate jdbc;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired JobQueue defaultQueue;

    /** Short backoff so that retries are testable: base 200 ms, cap 500 ms. */
    JobQueue queue;
    QueueFixture fixture;

    @BeforeEach
    void setUp() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        queue = new JobQueue(jdbc, transactionManager, new QueueProperties(LEASE, Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1), false));
        fixture = new QueueFixture(jdbc);
    }

    @Test
    void eightClaimersClaimFiveHundredJobsExactlyOnce() throws Exception {
        List<UUID> jobs = fixture.queuedJobs(500, 0);
        Map<UUID, String> claimedBy = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> perWorker = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String worker = "worker-" + w;
            perWorker.add(pool.submit(() -> {
                start.await();
                int mine = 0;
                Optional<ClaimedJob> job;
                while ((job = queue.claim(worker, LEASE)).isPresent()) {
                    if (claimedBy.putIfAbsent(job.get().id(), worker) != null) {
                        duplicates.incrementAndGet();
                    }
                    mine++;
                }
                return mine;
            }));
        }
        start.countDown();
        int total = 0;
        int workersThatClaimed = 0;
        for (Future<Integer> f : perWorker) {
            int n = f.get(60, TimeUnit.SECONDS);
            total += n;
            workersThatClaimed += n > 0 ? 1 : 0;
        }
        pool.shutdown();

        assertThat(duplicates).hasValue(0);
        assertThat(total).isEqualTo(500);
        assertThat(claimedBy.keySet()).containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(workersThatClaimed).as("claims really ran concurrently").isGreaterThan(1);
        assertThat(jdbc.queryForObject("select count(*) from jobs where status = 'running' and attempts = 1"
                + " and lease_owner like 'worker-%' and lease_expires_at > now()", Long.class)).isEqualTo(500);
        for (Map.Entry<UUID, String> e : claimedBy.entrySet()) {
            assertThat(jdbc.queryForObject("select lease_owner from jobs where id = ?", String.class, e.getKey()))
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void claimsHighestPriorityFirstThenOldest() {
        List<UUID> low = fixture.queuedJobs(2, 0);
        List<UUID> high = fixture.queuedJobs(2, 5);
        List<UUID> order = new ArrayList<>();
        Optional<ClaimedJob> job;
        while ((job = queue.claim("w", LEASE)).isPresent()) {
            order.add(job.get().id());
        }
        assertThat(order).containsExactly(high.get(0), high.get(1), low.get(0), low.get(1));
    }

    @Test
    void claimReturnsWhatTheWorkerNeeds() {
        UUID id = fixture.queuedJobs(1, 0).get(0);
        ClaimedJob job = queue.claim("w", LEASE).orElseThrow();
        assertThat(job.id()).isEqualTo(id);
        assertThat(job.tenantId()).isEqualTo("local");
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.specJson()).isEqualTo("{\"n\": 0}");
        assertThat(job.methodType()).isEqualTo("largo");
        assertThat(job.baseModelId()).startsWith("model-");
        assertThat(job.trainingDatasetId()).isNotNull();
        assertThat(queue.claim("w", LEASE)).isEmpty();
    }

    @Test
    void expiredLeaseIsReapedAndReclaimedByAnotherWorker() throws Exception {
        UUID id = fixture.queuedJobs(1, 0).get(0);
        assertThat(queue.claim("dying-worker", Duration.ofMillis(300))).isPresent();
        assertThat(queue.reapExpiredLeases()).as("lease still valid").isZero();

        Thread.sleep(450); // the worker died: no heartbeat
        assertThat(queue.reapExpiredLeases()).isEqualTo(1);
        assertThat(fixture.status(id)).isEqualTo("queued");
        assertThat(queue.claim("other-worker", LEASE)).as("backing off").isEmpty();

        Thread.sleep(250); // backoff base is 200 ms for the first retry
        ClaimedJob again = queue.claim("other-worker", LEASE).orElseThrow();
        assertThat(again.id()).isEqualTo(id);
        assertThat(again.attempts()).isEqualTo(2);

        // The first worker comes back to life: it lost the job and can change nothing.
        assertThat(queue.heartbeat(id, "dying-worker", LEASE).stillOwner()).isFalse();
        assertThat(queue.complete(id, "dying-worker", null)).isFalse();
        assertThat(queue.heartbeat(id, "other-worker", LEASE)).isEqualTo(new HeartbeatResult(true, false));
        assertThat(jdbc.queryForObject("select message from job_events where job_id = ? and type = 'job.retry_scheduled'",
                String.class, id)).contains("attempt 1 of 3").contains("lease of worker dying-worker expired");
    }

    @Test
    void jobPastMaxAttemptsFailsWithAttemptsExhausted() {
        UUID id = fixture.jobs(1, "queued", 0, 2).get(0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            fixture.makeReady(id);
            assertThat(queue.claim("w" + attempt, LEASE).orElseThrow().attempts()).isEqualTo(attempt);
            fixture.expireLease(id);
            assertThat(queue.reapExpiredLeases()).isEqualTo(1);
        }
        Map<String, Object> row = jdbc.queryForMap("select status, error_code, error_message, finished_at, lease_owner"
                + " from jobs where id = ?", id);
        assertThat(row).containsEntry("status", "failed").containsEntry("error_code", JobQueue.ATTEMPTS_EXHAUSTED)
                .containsEntry("lease_owner", null);
        assertThat(row.get("finished_at")).isNotNull();
        assertThat((String) row.get("error_message")).contains("after 2 attempts").contains("max_attempts 2")
                .contains("lease of worker w2 expired");
        fixture.makeReady(id);
        assertThat(queue.claim("w3", LEASE)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from job_events where job_id = ? and type = 'job.failed'"
                + " and level = 'error'", Long.class, id)).isEqualTo(1);
    }

    @Test
    void retryLaterBacksOffExponentiallyUpToTheCap() {
        UUID id = fixture.jobs(1, "queued", 0, 5).get(0);
        double[] expectedDelays = {0.2, 0.4, 0.5, 0.5}; // base 200 ms doubling, capped at 500 ms
        for (double expected : expectedDelays) {
            fixture.makeReady(id);
            queue.claim("w", LEASE).orElseThrow();
            assertThat(queue.retryLater(id, "w", "CUDA out of memory")).isTrue();
            double delay = jdbc.queryForObject("select extract(epoch from next_attempt_at - now()) from jobs where id = ?",
                    Double.class, id);
            assertThat(delay).isCloseTo(expected, within(0.05));
            assertThat(fixture.status(id)).isEqualTo("queued");
        }
        fixture.makeReady(id);
        queue.claim("w", LEASE).orElseThrow();
        assertThat(queue.retryLater(id, "w", "CUDA out of memory")).isTrue();
        assertThat(fixture.status(id)).isEqualTo("failed");
        assertThat(jdbc.queryForObject("select error_message from jobs where id = ?", String.class, id))
                .contains("after 5 attempts").contains("CUDA out of memory");
        assertThat(queue.retryLater(id, "w", "again")).as("no longer owned").isFalse();
    }

    @Test
    void cancelledQueuedJobIsNeverClaimed() {
        List<UUID> jobs = fixture.queuedJobs(3, 0);
        assertThat(queue.requestCancel(jobs.get(0))).isEqualTo(CancelOutcome.CANCELLED);
        List<UUID> claimed = new ArrayList<>();
        Optional<ClaimedJob> job;
        while ((job = queue.claim("w", LEASE)).isPresent()) {
            claimed.add(job.get().id());
        }
        assertThat(claimed).containsExactly(jobs.get(1), jobs.get(2));
        assertThat(fixture.status(jobs.get(0))).isEqualTo("cancelled");
        assertThat(fixture.attempts(jobs.get(0))).isZero();
        assertThat(queue.requestCancel(jobs.get(0))).isEqualTo(CancelOutcome.ALREADY_FINISHED);
        assertThat(queue.requestCancel(UUID.randomUUID())).isEqualTo(CancelOutcome.NOT_FOUND);
        assertThat(queue.enqueue(jobs.get(0))).as("a cancelled job is not re-queued").isFalse();
    }

    @Test
    void cancelOfRunningJobIsSeenByHeartbeat() {
        UUID id = fixture.queuedJobs(1, 0).get(0);
        queue.claim("w", LEASE).orElseThrow();
        assertThat(queue.heartbeat(id, "w", LEASE)).isEqualTo(new HeartbeatResult(true, false));
        assertThat(queue.requestCancel(id)).isEqualTo(CancelOutcome.CANCEL_REQUESTED);
        assertThat(fixture.status(id)).isEqualTo("running");
        assertThat(queue.heartbeat(id, "w", LEASE)).isEqualTo(new HeartbeatResult(true, true));
        assertThat(queue.markCancelled(id, "w")).isTrue();
        assertThat(fixture.status(id)).isEqualTo("cancelled");
        assertThat(queue.heartbeat(id, "w", LEASE)).isEqualTo(new HeartbeatResult(false, true));
    }

    @Test
    void jobWhoseWorkerDiedAfterACancelRequestEndsCancelled() {
        UUID id = fixture.queuedJobs(1, 0).get(0);
        queue.claim("w", LEASE).orElseThrow();
        queue.requestCancel(id);
        fixture.expireLease(id);
        assertThat(queue.reapExpiredLeases()).isEqualTo(1);
        assertThat(fixture.status(id)).isEqualTo("cancelled");
    }

    @Test
    void releaseRequeuesAtOnceWithoutCountingTheAttempt() {
        UUID id = fixture.queuedJobs(1, 0).get(0);
        queue.claim("stopping", LEASE).orElseThrow();
        assertThat(queue.release(id, "someone-else")).isFalse();
        assertThat(queue.release(id, "stopping")).isTrue();
        assertThat(fixture.status(id)).isEqualTo("queued");
        assertThat(fixture.attempts(id)).isZero();
        ClaimedJob job = queue.claim("next", LEASE).orElseThrow();
        assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void terminalTransitionsRequireTheLease() {
        List<UUID> jobs = fixture.queuedJobs(2, 0);
        queue.claim("w", LEASE).orElseThrow();
        queue.claim("w", LEASE).orElseThrow();

        assertThat(queue.updateProgress(jobs.get(0), "w", 0.25, 120.0, 1, 10L, 40L)).isTrue();
        assertThat(queue.updateProgress(jobs.get(0), "w", 0.5, null, null, 20L, null)).isTrue();
        assertThat(queue.updateProgress(jobs.get(0), "intruder", 0.9, null, null, null, null)).isFalse();
        assertThat(jdbc.queryForMap("select progress, eta_seconds, current_epoch, current_step, total_steps from jobs where id = ?",
                jobs.get(0))).containsEntry("progress", 0.5).containsEntry("eta_seconds", null)
                .containsEntry("current_epoch", 1).containsEntry("current_step", 20L).containsEntry("total_steps", 40L);
        assertThatThrownBy(() -> queue.updateProgress(jobs.get(0), "w", 1.5, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("progress");

        assertThat(queue.fail(jobs.get(0), "intruder", "bad_data", "row 3 has no label", "training_file")).isFalse();
        assertThat(queue.fail(jobs.get(0), "w", "bad_data", "row 3 has no label", "training_file")).isTrue();
        assertThat(jdbc.queryForMap("select status, error_code, error_param from jobs where id = ?", jobs.get(0)))
                .containsEntry("status", "failed").containsEntry("error_code", "bad_data")
                .containsEntry("error_param", "training_file");
        assertThat(queue.fail(jobs.get(0), "w", "bad_data", "twice", null)).isFalse();

        assertThat(queue.complete(jobs.get(1), "w", null)).isTrue();
        assertThat(jdbc.queryForMap("select status, progress, lease_owner from jobs where id = ?", jobs.get(1)))
                .containsEntry("status", "succeeded").containsEntry("progress", 1.0).containsEntry("lease_owner", null);
    }

    @Test
    void enqueueMovesValidatingJobsAndRejectsUnknownOnes() {
        UUID validating = fixture.jobs(1, "validating", 0, 3).get(0);
        assertThat(queue.claim("w", LEASE)).isEmpty();
        assertThat(defaultQueue.enqueue(validating)).isTrue();
        assertThat(queue.claim("w", LEASE).orElseThrow().id()).isEqualTo(validating);
        assertThat(defaultQueue.enqueue(validating)).as("running jobs stay running").isFalse();
        assertThatThrownBy(() -> defaultQueue.enqueue(UUID.randomUUID()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("flushed");

        UUID rejected = fixture.jobs(1, "validating", 0, 3).get(0);
        assertThat(queue.failValidation(rejected, "invalid_dataset", "labels missing", "training_dataset")).isTrue();
        assertThat(fixture.status(rejected)).isEqualTo("failed");
    }

    @Test
    void depthByStatusCountsEveryStatus() {
        fixture.queuedJobs(3, 0);
        fixture.jobs(2, "validating", 0, 3);
        queue.claim("w", LEASE).orElseThrow();
        assertThat(queue.depthByStatus()).containsExactly(Map.entry("validating", 2L), Map.entry("queued", 2L),
                Map.entry("running", 1L), Map.entry("succeeded", 0L), Map.entry("failed", 0L), Map.entry("cancelled", 0L));
    }
}
