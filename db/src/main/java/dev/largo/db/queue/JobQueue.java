package dev.largo.db.queue;

import dev.largo.db.jobs.JobStatus;
import java.sql.Types;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job queue, kept in the {@code jobs} table.
 *
 * <p>Workers claim the oldest job of the highest priority with {@code FOR UPDATE SKIP LOCKED}, so any number
 * of workers claim concurrently without waiting on each other and never claim the same job twice. A claim is
 * a lease: the worker renews it by {@link #heartbeat}; if it stops (crash, network partition), the lease
 * expires and {@link #reapExpiredLeases} puts the job back with exponential backoff, until
 * {@code max_attempts} is reached and the job fails with {@code attempts_exhausted}. Every transition a
 * worker makes is conditional on {@code lease_owner}, so a worker that lost its lease cannot overwrite the
 * job's new state. {@link #enqueue} sends {@code NOTIFY largo_jobs} so idle workers ({@link JobWakeups})
 * wake at once.
 *
 * <p>A worker's loop:
 * <pre>{@code
 * while (running) {
 *     Optional<ClaimedJob> job = queue.claim(workerName);
 *     if (job.isEmpty()) { wakeups.awaitWork(properties.pollInterval()); continue; }
 *     // every properties.heartbeat(): HeartbeatResult hb = queue.heartbeat(id, workerName);
 *     //   !hb.stillOwner()    -> stop, write nothing more (another worker may have the job)
 *     //   hb.cancelRequested() -> stop at the next step, then markCancelled(id, workerName)
 *     // train, writing progress with updateProgress and ProgressWriter, checkpoints each epoch
 *     // success:               save the adapter (committed or flushed), then complete(id, workerName, adapterId)
 *     // bad input/divergence:  fail(id, workerName, code, message, param)      (final)
 *     // infrastructure error:  retryLater(id, workerName, reason)              (backoff, max attempts)
 *     // shutting down:         release(id, workerName)                          (resumes elsewhere)
 * }
 * }</pre>
 *
 * <p>Plain SQL: these statements run on the hot path and must say exactly which rows they lock.
 */
@Component
public class JobQueue {

    /** The NOTIFY channel; the payload is the job id. */
    public static final String CHANNEL = "largo_jobs";

    /** Error code of a job that failed because it ran out of attempts. */
    public static final String ATTEMPTS_EXHAUSTED = "attempts_exhausted";

    /**
     * The jobs a claim may take now: queued, not cancel-requested, not waiting out a retry backoff. The
     * worker autoscaler counts the same rows (deploy/k8s/base/worker-scaledobject.yaml; a test compares them).
     */
    public static final String CLAIMABLE =
            "status = 'queued' and not cancel_requested and (next_attempt_at is null or next_attempt_at <= now())";

    private static final String CLAIM = """
            update jobs set status = 'running', lease_owner = ?,
                lease_expires_at = now() + ? * interval '1 millisecond', heartbeat_at = now(),
                attempts = attempts + 1, started_at = coalesce(started_at, now()),
                next_attempt_at = null, updated_at = now()
            where id = (
                select id from jobs
                where %s
                order by priority desc, created_at, id
                limit 1
                for update skip locked)
            returning id, tenant_id, attempts, spec::text, base_model_id, training_dataset_id, seed, method_type
            """.formatted(CLAIMABLE);

    /**
     * Ends an attempt that did not finish the job: back to queued after a backoff, failed with
     * attempts_exhausted once max_attempts is reached, or cancelled if a cancel was requested meanwhile.
     * {@code %1$s} selects the target rows (id, reason); backoff base and cap are {@code %2$d}, {@code %3$d} ms.
     */
    private static final String REQUEUE_OR_FAIL = """
            with target as (%1$s),
            j as (
                update jobs set
                    status = case when jobs.cancel_requested then 'cancelled'
                                  when jobs.attempts >= jobs.max_attempts then 'failed'
                                  else 'queued' end,
                    next_attempt_at = case when not jobs.cancel_requested and jobs.attempts < jobs.max_attempts
                        then now() + least(%2$d * power(2, greatest(jobs.attempts - 1, 0)), %3$d) * interval '1 millisecond'
                        end,
                    error_code = case when not jobs.cancel_requested and jobs.attempts >= jobs.max_attempts
                        then 'attempts_exhausted' else jobs.error_code end,
                    error_message = case when not jobs.cancel_requested and jobs.attempts >= jobs.max_attempts
                        then format('the job failed after %%s attempts (max_attempts %%s); the last attempt ended with: %%s',
                                    jobs.attempts, jobs.max_attempts, target.reason)
                        else jobs.error_message end,
                    finished_at = case when jobs.cancel_requested or jobs.attempts >= jobs.max_attempts
                        then now() end,
                    lease_owner = null, lease_expires_at = null, eta_seconds = null, updated_at = now()
                from target
                where jobs.id = target.id
                returning jobs.id, jobs.status, jobs.attempts, jobs.max_attempts, jobs.next_attempt_at,
                          jobs.error_message, target.reason),
            e as (
                insert into job_events (job_id, level, type, message)
                select id,
                    case status when 'queued' then 'warn' when 'failed' then 'error' else 'info' end,
                    'job.' || case status when 'queued' then 'retry_scheduled' else status end,
                    case status
                        when 'queued' then format('attempt %%s of %%s ended: %%s; retrying in %%s s', attempts,
                            max_attempts, reason, round(extract(epoch from next_attempt_at - now())::numeric, 1))
                        when 'failed' then error_message
                        else format('cancelled as requested; the last attempt ended with: %%s', reason) end
                from j)
            select id, status from j
            """;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final QueueProperties properties;
    private final String retryLaterSql;
    private final String reapSql;

    public JobQueue(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, QueueProperties properties) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.properties = properties;
        long base = properties.backoffBase().toMillis();
        long cap = properties.backoffCap().toMillis();
        this.retryLaterSql = REQUEUE_OR_FAIL.formatted("""
                select id, ?::text as reason from jobs
                where id = ? and lease_owner = ? and status = 'running'
                for update""", base, cap);
        this.reapSql = REQUEUE_OR_FAIL.formatted("""
                select id, format('the lease of worker %s expired at %s without a heartbeat',
                                  lease_owner, lease_expires_at) as reason
                from jobs
                where status = 'running' and lease_expires_at < now()
                for update skip locked""", base, cap);
    }

    public QueueProperties properties() {
        return properties;
    }

    /**
     * Moves a validating (or already queued) job to {@code queued} and wakes the workers. Joins the caller's
     * transaction; the notification is delivered when it commits. A job saved through JPA in the same
     * transaction must be flushed first ({@code saveAndFlush}).
     *
     * @return true if the job is now queued; false if it was cancelled or has already left the queue
     * @throws IllegalStateException if the job does not exist (or was not flushed)
     */
    public boolean enqueue(UUID jobId) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            int updated = jdbc.update("""
                    update jobs set status = 'queued', next_attempt_at = null, updated_at = now()
                    where id = ? and status in ('validating', 'queued') and not cancel_requested""", jobId);
            if (updated == 0) {
                if (!exists(jobId)) {
                    throw new IllegalStateException("cannot enqueue job " + jobId + ": no such job (a job saved"
                            + " through JPA in this transaction must be flushed before it is enqueued)");
                }
                return false;
            }
            jdbc.queryForList("select pg_notify(?, ?)", CHANNEL, jobId.toString());
            return true;
        }));
    }

    /** Claims the next ready job with the default lease. */
    public Optional<ClaimedJob> claim(String workerName) {
        return claim(workerName, properties.lease());
    }

    /** Claims the next ready job, highest priority first, then oldest; empty if none is ready. */
    public Optional<ClaimedJob> claim(String workerName, Duration lease) {
        requireWorker(workerName);
        List<ClaimedJob> claimed = jdbc.query(CLAIM, (rs, i) -> new ClaimedJob(
                rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getObject(6, UUID.class), rs.getLong(7), rs.getString(8)), workerName, lease.toMillis());
        return claimed.stream().findFirst();
    }

    /** Renews the lease with the default duration. */
    public HeartbeatResult heartbeat(UUID jobId, String workerName) {
        return heartbeat(jobId, workerName, properties.lease());
    }

    /** Renews the lease if {@code workerName} still owns the running job, and reports a cancel request. */
    public HeartbeatResult heartbeat(UUID jobId, String workerName, Duration lease) {
        List<Boolean> renewed = jdbc.query("""
                update jobs set lease_expires_at = now() + ? * interval '1 millisecond', heartbeat_at = now(),
                    updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'
                returning cancel_requested""", (rs, i) -> rs.getBoolean(1), lease.toMillis(), jobId, workerName);
        if (!renewed.isEmpty()) {
            return new HeartbeatResult(true, renewed.get(0));
        }
        List<Boolean> cancelled = jdbc.query("select cancel_requested or status = 'cancelled' from jobs where id = ?",
                (rs, i) -> rs.getBoolean(1), jobId);
        return new HeartbeatResult(false, !cancelled.isEmpty() && cancelled.get(0));
    }

    /**
     * Records progress (0..1) and position; null epoch/step/totalSteps keep the previous values.
     *
     * @return false if the worker no longer owns the job
     */
    public boolean updateProgress(UUID jobId, String workerName, double progress, Double etaSeconds, Integer epoch,
            Long step, Long totalSteps) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be within [0, 1], got " + progress);
        }
        return jdbc.update("""
                update jobs set progress = ?, eta_seconds = ?,
                    current_epoch = coalesce(?, current_epoch), current_step = coalesce(?, current_step),
                    total_steps = coalesce(?, total_steps), updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""",
                progress, new SqlParameterValue(Types.DOUBLE, etaSeconds), new SqlParameterValue(Types.INTEGER, epoch),
                new SqlParameterValue(Types.BIGINT, step), new SqlParameterValue(Types.BIGINT, totalSteps),
                jobId, workerName) == 1;
    }

    /**
     * Marks the job succeeded with its adapter (insert the adapter row first). Completion wins over a cancel
     * request that arrives after the last step: the work is done.
     *
     * @return false if the worker no longer owns the job (its result must then be discarded)
     */
    public boolean complete(UUID jobId, String workerName, UUID adapterId) {
        return jdbc.update("""
                update jobs set status = 'succeeded', progress = 1, eta_seconds = 0, fine_tuned_adapter_id = ?,
                    finished_at = now(), lease_owner = null, lease_expires_at = null, updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", adapterId, jobId, workerName) == 1;
    }

    /**
     * Fails the job for good (bad data, diverged training, unsupported model...): no retry.
     *
     * @param param the request field the error is about, or null
     */
    public boolean fail(UUID jobId, String workerName, String code, String message, String param) {
        requireError(code, message);
        return jdbc.update("""
                update jobs set status = 'failed', error_code = ?, error_message = ?, error_param = ?,
                    eta_seconds = null, finished_at = now(), lease_owner = null, lease_expires_at = null, updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""",
                code, message, param, jobId, workerName) == 1;
    }

    /**
     * Fails a job that is still being validated (before it was ever queued), e.g. when the service finds its
     * dataset unusable.
     */
    public boolean failValidation(UUID jobId, String code, String message, String param) {
        requireError(code, message);
        return jdbc.update("""
                update jobs set status = 'failed', error_code = ?, error_message = ?, error_param = ?,
                    finished_at = now(), updated_at = now()
                where id = ? and status = 'validating'""", code, message, param, jobId) == 1;
    }

    /**
     * Ends this attempt after an infrastructure failure (out of memory, lost database connection...): the
     * job is queued again after the backoff, or fails with {@code attempts_exhausted} if this was its last
     * attempt. An event records the reason.
     */
    public boolean retryLater(UUID jobId, String workerName, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("retryLater needs a reason for the job's event log");
        }
        return Boolean.TRUE.equals(
                transaction.execute(status -> !jdbc.queryForList(retryLaterSql, reason, jobId, workerName).isEmpty()));
    }

    /**
     * Gives the job back on a graceful shutdown: queued again at once, without counting the attempt, and
     * other workers are woken. The next worker resumes from the last checkpoint.
     */
    public boolean release(UUID jobId, String workerName) {
        return Boolean.TRUE.equals(transaction.execute(status -> !jdbc.queryForList("""
                with j as (
                    update jobs set
                        status = case when cancel_requested then 'cancelled' else 'queued' end,
                        finished_at = case when cancel_requested then now() end,
                        attempts = greatest(attempts - 1, 0), next_attempt_at = null,
                        lease_owner = null, lease_expires_at = null, eta_seconds = null, updated_at = now()
                    where id = ? and lease_owner = ? and status = 'running'
                    returning id, status),
                e as (
                    insert into job_events (job_id, level, type, message)
                    select id, 'info', 'job.released', format('worker %s shut down; the job is %s again', ?::text, status)
                    from j)
                select pg_notify(?, id::text) from j""", jobId, workerName, workerName, CHANNEL).isEmpty()));
    }

    /** The worker stopped a running job after seeing a cancel request. */
    public boolean markCancelled(UUID jobId, String workerName) {
        return jdbc.update("""
                update jobs set status = 'cancelled', eta_seconds = null, finished_at = now(),
                    lease_owner = null, lease_expires_at = null, updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", jobId, workerName) == 1;
    }

    /**
     * Cancels a job: at once if it has not started, otherwise by flagging it for its worker. Tenant checks
     * are the caller's.
     */
    public CancelOutcome requestCancel(UUID jobId) {
        List<String> statuses = jdbc.query("""
                update jobs set
                    status = case when status in ('validating', 'queued') then 'cancelled' else status end,
                    finished_at = case when status in ('validating', 'queued') then now() else finished_at end,
                    cancel_requested = true, updated_at = now()
                where id = ? and status in ('validating', 'queued', 'running')
                returning status""", (rs, i) -> rs.getString(1), jobId);
        if (!statuses.isEmpty()) {
            return JobStatus.CANCELLED.wireValue().equals(statuses.get(0)) ? CancelOutcome.CANCELLED
                    : CancelOutcome.CANCEL_REQUESTED;
        }
        return exists(jobId) ? CancelOutcome.ALREADY_FINISHED : CancelOutcome.NOT_FOUND;
    }

    /**
     * Queues a succeeded job again, for a continual job extended with another task: its progress becomes
     * {@code progress} (the share of its tasks already done), its attempts start again from zero, and the
     * workers are woken; the adapter of the last task stays until the new one replaces it. Joins the caller's
     * transaction (the notification is delivered when it commits).
     *
     * @return false if the job is not (or no longer) succeeded
     */
    public boolean reopen(UUID jobId, double progress) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be within [0, 1], got " + progress);
        }
        return Boolean.TRUE.equals(transaction.execute(status -> {
            int updated = jdbc.update("""
                    update jobs set status = 'queued', progress = ?, eta_seconds = null, attempts = 0,
                        next_attempt_at = null, cancel_requested = false, finished_at = null, updated_at = now()
                    where id = ? and status = 'succeeded'""", progress, jobId);
            if (updated == 0) {
                return false;
            }
            jdbc.queryForList("select pg_notify(?, ?)", CHANNEL, jobId.toString());
            return true;
        }));
    }

    /**
     * Records the progress (0..1) of the task a continual job's worker is training; conditional on the lease
     * like {@link #updateProgress}.
     *
     * @return false if the worker no longer owns the job
     */
    public boolean updateTaskProgress(UUID jobId, String workerName, int taskIndex, double progress) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must be within [0, 1], got " + progress);
        }
        return jdbc.update("""
                update job_tasks t set progress = ?
                from jobs j
                where t.job_id = j.id and t.task_index = ? and j.id = ? and j.lease_owner = ? and j.status = 'running'""",
                progress, taskIndex, jobId, workerName) == 1;
    }

    /**
     * Puts running jobs whose lease expired back in the queue (or fails them once out of attempts). Safe to
     * run from every replica at once: rows another reaper holds are skipped.
     *
     * @return how many jobs were reaped
     */
    public int reapExpiredLeases() {
        Integer reaped = transaction.execute(status -> jdbc.queryForList(reapSql).size());
        return reaped == null ? 0 : reaped;
    }

    /** Number of jobs in each status (every status present, zero included), e.g. for queue-depth metrics. */
    public Map<String, Long> depthByStatus() {
        Map<String, Long> depth = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            depth.put(status.wireValue(), 0L);
        }
        jdbc.query("select status, count(*) from jobs group by status",
                rs -> {
                    depth.put(rs.getString(1), rs.getLong(2));
                });
        return depth;
    }

    private boolean exists(UUID jobId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from jobs where id = ?)", Boolean.class, jobId));
    }

    private static void requireWorker(String workerName) {
        if (workerName == null || workerName.isBlank()) {
            throw new IllegalArgumentException("worker name must not be blank");
        }
    }

    private static void requireError(String code, String message) {
        if (code == null || code.isBlank() || message == null || message.isBlank()) {
            throw new IllegalArgumentException("a failed job needs an error code and message, got code=" + code
                    + ", message=" + message);
        }
    }
}
