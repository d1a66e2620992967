package dev.largo.db.queue;

import dev.largo.db.jobs.JobStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import lombok.RequiredArgsConstructor;

/**
 * What the queue looks like now, read from the {@code jobs} table for monitoring: how many jobs are in each
 * status, how long the finished ones ran, and, for every running job, when its worker last renewed the lease
 * and how long its recent training steps took (from the {@code train/step_ms} metric points the worker
 * writes with its progress). The database is the one place that knows all of it: workers serve no HTTP, and
 * every service replica sees the same numbers.
 */
@RequiredArgsConstructor
public class QueueStatistics {

    /** The metric point a worker writes for a training step's wall time, in milliseconds. */
    public static final String STEP_TIME_METRIC = dev.largo.db.jobs.MetricNames.STEP_MS;

    /** How many of a running job's latest step times its median is taken over. */
    static final int RECENT_STEPS = 20;

    private final JdbcTemplate jdbc;

    /** Finished jobs of one final status: how many, and their summed run time (started to finished). */
    public record FinishedJobs(long count, double totalSeconds) {
    }

    /**
     * A running job.
     *
     * @param heartbeatAgeSeconds seconds since its worker last renewed the lease; null if never recorded
     * @param medianStepSeconds median wall time of its latest {@value #RECENT_STEPS} recorded steps; null
     *     before the first is recorded
     */
    public record RunningJob(UUID id, String tenant, String worker, Double heartbeatAgeSeconds,
            Double medianStepSeconds) {
    }

    /** All of it, read at one moment. */
    public record Snapshot(Map<JobStatus, Long> jobsByStatus, long claimable, Map<JobStatus, FinishedJobs> finished,
            List<RunningJob> running) {

        public static final Snapshot EMPTY = new Snapshot(Map.of(), 0, Map.of(), List.of());
    }

    public Snapshot read() {
        Map<JobStatus, Long> byStatus = new EnumMap<>(JobStatus.class);
        Map<JobStatus, FinishedJobs> finished = new EnumMap<>(JobStatus.class);
        jdbc.query("""
                select status, count(*),
                    count(*) filter (where started_at is not null and finished_at is not null),
                    coalesce(sum(extract(epoch from finished_at - started_at)), 0)::float8
                from jobs group by status""", rs -> {
            JobStatus status = JobStatus.fromWire(rs.getString(1));
            byStatus.put(status, rs.getLong(2));
            if (status.isTerminal()) {
                finished.put(status, new FinishedJobs(rs.getLong(3), rs.getDouble(4)));
            }
        });
        Long claimable = jdbc.queryForObject("select count(*) from jobs where " + JobQueue.CLAIMABLE, Long.class);
        List<RunningJob> running = jdbc.query("""
                select j.id, j.tenant_id, j.lease_owner, extract(epoch from now() - j.heartbeat_at)::float8,
                    (select percentile_cont(0.5) within group (order by recent.value) / 1000
                     from (select m.value from job_metrics m
                           where m.job_id = j.id and m.name = ?
                           order by m.id desc limit ?) recent)
                from jobs j
                where j.status = 'running'
                order by j.id""", (rs, i) -> new RunningJob(rs.getObject(1, UUID.class), rs.getString(2),
                rs.getString(3), rs.getObject(4, Double.class), rs.getObject(5, Double.class)),
                STEP_TIME_METRIC, RECENT_STEPS);
        return new Snapshot(byStatus, claimable == null ? 0 : claimable, finished, running);
    }
}
