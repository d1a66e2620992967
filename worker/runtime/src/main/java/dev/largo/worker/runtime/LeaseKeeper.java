package dev.largo.worker.runtime;

import dev.largo.db.queue.HeartbeatResult;
import dev.largo.db.queue.JobQueue;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps a claimed job's lease alive while it trains, off the training thread (a long step must not let the
 * lease lapse): a heartbeat every {@code largo.queue.heartbeat}, and a cheaper read every
 * {@code cancel-poll-interval} so a cancel takes effect within about a step rather than a heartbeat. Either
 * may find that the job is no longer ours or that its cancel was requested, and raises the {@link StopSignal}.
 *
 * <p>If the database cannot be reached, heartbeats fail; once the lease has run out without a renewal the
 * job may already belong to another worker, so the signal says lease lost and the run stops.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobQueue queue;
    private final JdbcTemplate jdbc;
    private final UUID jobId;
    private final String workerName;
    private final StopSignal signal;
    private final long leaseNanos;
    private volatile long lastRenewalNanos;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> cancelPolls;

    LeaseKeeper(JobQueue queue, JdbcTemplate jdbc, UUID jobId, String workerName, StopSignal signal) {
        this.queue = queue;
        this.jdbc = jdbc;
        this.jobId = jobId;
        this.workerName = workerName;
        this.signal = signal;
        this.leaseNanos = queue.properties().lease().toNanos();
        this.lastRenewalNanos = System.nanoTime();
    }

    /** Starts beating; the claim itself was the first renewal. */
    void start(ScheduledExecutorService scheduler, Duration cancelPollInterval) {
        long heartbeatMs = queue.properties().heartbeat().toMillis();
        heartbeats = scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
        long pollMs = cancelPollInterval.toMillis();
        if (pollMs < heartbeatMs) {
            cancelPolls = scheduler.scheduleWithFixedDelay(this::pollCancel, pollMs, pollMs, TimeUnit.MILLISECONDS);
        }
    }

    void heartbeat() {
        try {
            HeartbeatResult result = queue.heartbeat(jobId, workerName);
            if (!result.stillOwner()) {
                log.warn("job {}: lost the lease (reaped or finished elsewhere); stopping without writing more", jobId);
                signal.request(StopSignal.Reason.LEASE_LOST);
                return;
            }
            lastRenewalNanos = System.nanoTime();
            if (result.cancelRequested()) {
                signal.request(StopSignal.Reason.CANCEL);
            }
        } catch (RuntimeException e) {
            checkLapse(e);
        }
    }

    private void pollCancel() {
        try {
            List<Boolean> cancelled = jdbc.query("select cancel_requested from jobs where id = ?",
                    (rs, i) -> rs.getBoolean(1), jobId);
            if (!cancelled.isEmpty() && cancelled.get(0)) {
                signal.request(StopSignal.Reason.CANCEL);
            }
        } catch (RuntimeException e) {
            // The heartbeat decides what an unreachable database means.
            log.debug("job {}: cancel poll failed: {}", jobId, e.getMessage());
        }
    }

    private void checkLapse(RuntimeException e) {
        long silentNanos = System.nanoTime() - lastRenewalNanos;
        if (silentNanos >= leaseNanos) {
            log.error("job {}: no heartbeat got through for {} s (lease {} s), the job may have been given to another"
                    + " worker; stopping: {}", jobId, silentNanos / 1_000_000_000, leaseNanos / 1_000_000_000,
                    e.getMessage());
            signal.request(StopSignal.Reason.LEASE_LOST);
        } else {
            log.warn("job {}: heartbeat failed, retrying: {}", jobId, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (cancelPolls != null) {
            cancelPolls.cancel(false);
        }
    }
}
