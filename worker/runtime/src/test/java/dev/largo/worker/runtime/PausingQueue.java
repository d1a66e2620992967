package dev.largo.worker.runtime;

import dev.largo.db.queue.HeartbeatResult;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.QueueProperties;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The real queue client, with a switch a test uses to freeze a worker at a chosen point of its run: the
 * worker's progress write blocks (its training thread stands still) and, to simulate a network partition or
 * a dead process, so do its heartbeats. Everything the worker does goes to the database unchanged.
 */
final class PausingQueue extends JobQueue {

    /** What a worker reports when it writes progress. */
    record Progress(UUID jobId, Integer epoch, Long step) {
    }

    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private volatile Predicate<Progress> pauseWhen = progress -> false;
    private volatile boolean blockHeartbeats;
    private volatile boolean heartbeatsBlocked;

    PausingQueue(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, QueueProperties properties) {
        super(jdbc, transactionManager, properties);
    }

    /** Freezes the worker at its first progress write that matches; heartbeats stop too if asked. */
    void pauseWhen(Predicate<Progress> condition, boolean stopHeartbeats) {
        this.blockHeartbeats = stopHeartbeats;
        this.pauseWhen = condition;
    }

    boolean awaitPaused(Duration timeout) throws InterruptedException {
        return paused.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void resume() {
        resumed.countDown();
    }

    /**
     * The worker calls this first in its progress transaction, before any other statement: a worker frozen
     * here holds a connection but no lock, like one whose process stopped between two writes.
     */
    @Override
    public boolean updateProgress(UUID jobId, String workerName, double progress, Double etaSeconds, Integer epoch,
            Long step, Long totalSteps) {
        if (paused.getCount() > 0 && pauseWhen.test(new Progress(jobId, epoch, step))) {
            heartbeatsBlocked = blockHeartbeats;
            paused.countDown();
            awaitResume();
        }
        return super.updateProgress(jobId, workerName, progress, etaSeconds, epoch, step, totalSteps);
    }

    @Override
    public HeartbeatResult heartbeat(UUID jobId, String workerName, Duration lease) {
        if (heartbeatsBlocked) {
            awaitResume();
        }
        return super.heartbeat(jobId, workerName, lease);
    }

    /** Bounded, so that a failed test cannot leave a worker thread (and the test JVM) blocked for good. */
    private void awaitResume() {
        try {
            resumed.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
