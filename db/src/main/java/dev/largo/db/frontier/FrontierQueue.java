package dev.largo.db.frontier;

import dev.largo.db.queue.JobQueue;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The queue of robustness-frontier evaluations, kept in {@code frontier_evaluations}: the same contract as the
 * training queue ({@link JobQueue}) in a smaller form. A claim takes the oldest queued row, or a running row whose
 * lease expired (its worker died: the next worker starts it again, up to {@code max_attempts}), with
 * {@code FOR UPDATE SKIP LOCKED}; every later write is conditional on {@code lease_owner}. A request notifies
 * {@link JobQueue#CHANNEL}, so idle workers wake at once. A bean of {@code LargoDbAutoConfiguration}.
 */
public class FrontierQueue {

    private static final String COLUMNS = """
            id, job_id, tenant_id, status, alphas::text, tolerance, points::text, attempts, max_attempts,
            status = 'running' and lease_expires_at < now(), error_message, created_at, finished_at""";

    private final JdbcTemplate jdbc;

    public FrontierQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues an evaluation of the job, replacing a finished one (its curve is dropped). Joins the caller's
     * transaction.
     *
     * @return the new row, or empty when one is still queued or running (the caller answers 409)
     */
    public Optional<FrontierRecord> request(UUID jobId, String tenantId, String alphasJson, double tolerance) {
        List<UUID> ids = jdbc.query("""
                insert into frontier_evaluations (id, job_id, tenant_id, status, alphas, tolerance)
                values (?, ?, ?, 'queued', ?::jsonb, ?)
                on conflict (job_id) do update set id = excluded.id, status = 'queued', alphas = excluded.alphas,
                    tolerance = excluded.tolerance, points = '[]', attempts = 0, lease_owner = null,
                    lease_expires_at = null, error_message = null, created_at = now(), started_at = null,
                    finished_at = null, updated_at = now()
                where frontier_evaluations.status in ('succeeded', 'failed')
                returning id""", (rs, i) -> rs.getObject(1, UUID.class), UUID.randomUUID(), jobId, tenantId,
                alphasJson, tolerance);
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        jdbc.queryForList("select pg_notify(?, ?)", JobQueue.CHANNEL, jobId.toString());
        return find(jobId);
    }

    public Optional<FrontierRecord> find(UUID jobId) {
        return jdbc.query("select " + COLUMNS + " from frontier_evaluations where job_id = ?", FrontierQueue::record,
                jobId).stream().findFirst();
    }

    /** A claimed evaluation: the row and the job it evaluates. */
    public record Claimed(UUID id, UUID jobId, String tenantId, String alphasJson, int attempt) {
    }

    /**
     * Claims the oldest evaluation that is queued or whose worker's lease expired, if any; one that has used up its
     * attempts is failed instead.
     */
    public Optional<Claimed> claim(String workerName, Duration lease) {
        jdbc.update("""
                update frontier_evaluations set status = 'failed', lease_owner = null, lease_expires_at = null,
                    finished_at = now(), updated_at = now(),
                    error_message = format('the evaluation stopped %s times without finishing (its worker''s lease'
                        ' expired)', attempts)
                where status = 'running' and lease_expires_at < now() and attempts >= max_attempts""");
        return jdbc.query("""
                update frontier_evaluations set status = 'running', lease_owner = ?,
                    lease_expires_at = now() + ? * interval '1 millisecond', attempts = attempts + 1, points = '[]',
                    started_at = coalesce(started_at, now()), updated_at = now()
                where id = (
                    select id from frontier_evaluations
                    where status = 'queued' or (status = 'running' and lease_expires_at < now())
                    order by created_at, id
                    limit 1
                    for update skip locked)
                returning id, job_id, tenant_id, alphas::text, attempts""",
                (rs, i) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getInt(5)), workerName, lease.toMillis()).stream().findFirst();
    }

    /** Renews the lease and stores the points so far; false when the worker no longer owns the row. */
    public boolean progress(UUID id, String workerName, String pointsJson, Duration lease) {
        return jdbc.update("""
                update frontier_evaluations set points = ?::jsonb,
                    lease_expires_at = now() + ? * interval '1 millisecond', updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", pointsJson, lease.toMillis(), id,
                workerName) == 1;
    }

    /** Renews the lease only. */
    public boolean heartbeat(UUID id, String workerName, Duration lease) {
        return jdbc.update("""
                update frontier_evaluations set lease_expires_at = now() + ? * interval '1 millisecond',
                    updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", lease.toMillis(), id, workerName) == 1;
    }

    public boolean complete(UUID id, String workerName, String pointsJson) {
        return jdbc.update("""
                update frontier_evaluations set status = 'succeeded', points = ?::jsonb, lease_owner = null,
                    lease_expires_at = null, finished_at = now(), updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", pointsJson, id, workerName) == 1;
    }

    /** Ends the evaluation for good: its inputs cannot give a curve (a job without an interpolation start). */
    public boolean fail(UUID id, String workerName, String message) {
        return jdbc.update("""
                update frontier_evaluations set status = 'failed', error_message = ?, lease_owner = null,
                    lease_expires_at = null, finished_at = now(), updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", message, id, workerName) == 1;
    }

    /** Gives the row back for another worker (shutting down, or an infrastructure error: it counts an attempt). */
    public boolean release(UUID id, String workerName) {
        return jdbc.update("""
                update frontier_evaluations set status = case when attempts >= max_attempts then 'failed'
                        else 'queued' end,
                    error_message = case when attempts >= max_attempts
                        then format('the evaluation stopped %s times without finishing', attempts) end,
                    finished_at = case when attempts >= max_attempts then now() end,
                    lease_owner = null, lease_expires_at = null, updated_at = now()
                where id = ? and lease_owner = ? and status = 'running'""", id, workerName) == 1;
    }

    private static FrontierRecord record(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp(13);
        return new FrontierRecord(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getDouble(6), rs.getString(7), rs.getInt(8), rs.getInt(9),
                rs.getBoolean(10), rs.getString(11), rs.getTimestamp(12).toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
