package dev.largo.service.monitoring;

import dev.largo.db.jobs.JobStatus;
import dev.largo.db.queue.QueueStatistics;
import dev.largo.db.queue.QueueStatistics.FinishedJobs;
import dev.largo.db.queue.QueueStatistics.RunningJob;
import dev.largo.db.queue.QueueStatistics.Snapshot;
import dev.largo.db.support.PeriodicTask;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The job queue's Prometheus metrics, read from the database every {@code largo.monitoring.refresh-interval}
 * ({@link QueueStatistics}) and served with the others at {@code /actuator/prometheus}:
 * <ul>
 *   <li>{@code largo_jobs{status}}: jobs per status (queue depth: {@code status="queued"}), and
 *       {@code largo_jobs_claimable}: queued jobs a worker may claim now (what the autoscaler counts);</li>
 *   <li>{@code largo_job_duration_seconds_count/_sum{status}}: finished jobs by final status and their summed
 *       run time, started to finished ({@code rate(_sum)/rate(_count)} is the mean duration);</li>
 *   <li>{@code largo_job_step_time_seconds{job_id,worker}}: median of each running job's latest recorded
 *       training steps;</li>
 *   <li>{@code largo_worker_heartbeat_age_seconds{worker}}: seconds since each worker that holds running jobs
 *       last renewed their leases (the stalest of them); near the lease length means the worker is gone.</li>
 * </ul>
 * The workers serve no HTTP; what they do is in the database, and every service replica reports the same
 * database-wide values (aggregate replicas with {@code max}, not {@code sum}).
 */
@Component
public class QueueMetrics extends PeriodicTask implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(QueueMetrics.class);
    private static final List<JobStatus> FINAL = List.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED);

    private final QueueStatistics statistics;
    private final MonitoringProperties properties;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>(Snapshot.EMPTY);
    private volatile MultiGauge stepTimes;
    private volatile MultiGauge heartbeatAges;
    private boolean failing;

    public QueueMetrics(QueueStatistics statistics, MonitoringProperties properties) {
        super("largo-queue-metrics", Duration.ZERO, properties.refreshInterval());
        this.statistics = statistics;
        this.properties = properties;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (JobStatus status : JobStatus.values()) {
            Gauge.builder("largo.jobs", latest, s -> s.get().jobsByStatus().getOrDefault(status, 0L))
                    .description("Jobs in each status").tag("status", status.wireValue()).register(registry);
        }
        Gauge.builder("largo.jobs.claimable", latest, s -> s.get().claimable())
                .description("Queued jobs a worker may claim now").register(registry);
        for (JobStatus status : FINAL) {
            FunctionTimer.builder("largo.job.duration", latest, s -> finished(s, status).count(),
                            s -> finished(s, status).totalSeconds(), TimeUnit.SECONDS)
                    .description("Run time of finished jobs, started to finished, by final status")
                    .tag("status", status.wireValue()).register(registry);
        }
        stepTimes = MultiGauge.builder("largo.job.step.time").baseUnit("seconds")
                .description("Median wall time of a running job's latest training steps").register(registry);
        heartbeatAges = MultiGauge.builder("largo.worker.heartbeat.age").baseUnit("seconds")
                .description("Seconds since a worker holding running jobs last renewed their leases (the stalest)")
                .register(registry);
        publishRunning(latest.get().running());
    }

    private static FinishedJobs finished(AtomicReference<Snapshot> snapshot, JobStatus status) {
        return snapshot.get().finished().getOrDefault(status, new FinishedJobs(0, 0));
    }

    /** Reads the database once and publishes what it found. */
    @Override
    protected void runOnce() {
        try {
            Snapshot snapshot = statistics.read();
            latest.set(snapshot);
            publishRunning(snapshot.running());
            if (failing) {
                log.info("queue metrics are read from the database again");
                failing = false;
            }
        } catch (RuntimeException e) {
            // The database may be briefly away; the gauges keep the last reading until it is back.
            if (!failing) {
                log.warn("could not read the queue metrics from the database, retrying every {}: {}",
                        properties.refreshInterval(), e.getMessage());
                failing = true;
            }
        }
    }

    /**
     * Keeps one row per running job (step time) and per worker holding jobs (heartbeat age). A row reads its
     * value from the latest snapshot, so rows that stay are never re-registered: a scrape always sees them.
     */
    private void publishRunning(List<RunningJob> running) {
        if (stepTimes == null) {
            return;
        }
        stepTimes.register(running.stream().filter(job -> job.medianStepSeconds() != null)
                .map(job -> MultiGauge.Row.of(Tags.of("job_id", job.id().toString(), "worker", job.worker()), latest,
                        s -> stepSeconds(s.get(), job.id())))
                .toList(), false);
        heartbeatAges.register(running.stream().filter(job -> job.heartbeatAgeSeconds() != null && job.worker() != null)
                .map(RunningJob::worker).distinct()
                .map(worker -> MultiGauge.Row.of(Tags.of("worker", worker), latest,
                        s -> stalestHeartbeatSeconds(s.get(), worker)))
                .toList(), false);
    }

    private static double stepSeconds(Snapshot snapshot, UUID jobId) {
        return snapshot.running().stream().filter(job -> job.id().equals(jobId) && job.medianStepSeconds() != null)
                .mapToDouble(RunningJob::medianStepSeconds).findFirst().orElse(Double.NaN);
    }

    private static double stalestHeartbeatSeconds(Snapshot snapshot, String worker) {
        return snapshot.running().stream().filter(job -> worker.equals(job.worker()) && job.heartbeatAgeSeconds() != null)
                .mapToDouble(RunningJob::heartbeatAgeSeconds).max().orElse(Double.NaN);
    }
}
