package dev.largo.worker.runtime;

import dev.largo.db.jobs.MetricNames;
import dev.largo.db.jobs.EventLevel;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.NewEvent;
import dev.largo.db.queue.NewMetric;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.db.queue.QueueStatistics;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.StepProgress;
import dev.largo.worker.engine.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what a training run reports to the database, in batches: events and metrics are buffered and
 * written together with the job's progress (0-1, ETA, epoch, step) in one transaction every
 * {@code flush-every-steps} steps or {@code flush-interval}, whichever comes first, and at every epoch end,
 * checkpoint and evaluation. A step therefore costs no database round trip, whatever its metrics (one
 * per LARGO gamma tensor).
 *
 * <p>The progress update is conditional on the lease, so the flush that finds the lease gone writes nothing
 * and stops the run ({@link LeaseLostException}). A flush that fails for database reasons keeps its buffer
 * for the next one: progress is not worth ending a run for, and if the database stays away the lease
 * keeper ends the run once the lease has run out. Checkpoints and evaluations are stored at once, each
 * fenced by the lease ({@link JobRecords}).
 *
 * <p>Metric names: {@code train/loss}, {@code train/lr}, {@code train/grad_norm}, {@code train/step_ms}
 * every {@code metrics-every-steps} steps, {@code train/epoch_loss} per epoch, and {@code gamma/<tensor>}
 * (the per-tensor radius of largo and ftp). Event types: {@code job.claimed}, {@code job.resumed},
 * {@code epoch.started}, {@code epoch.completed}, {@code checkpoint.saved}, {@code evaluation.completed},
 * {@code message}, and the job's outcome.
 *
 * <p>Used by the training thread only (listener callbacks run between steps), so it needs no locking.
 */
final class ProgressSink implements TrainingListener {

    private static final Logger log = LoggerFactory.getLogger(ProgressSink.class);

    /** A database outage longer than this many buffered metrics drops the oldest ones. */
    static final int MAX_BUFFERED_METRICS = 200_000;

    private final UUID jobId;
    private final String workerName;
    private final WorkerProperties properties;
    private final JobQueue queue;
    private final ProgressWriter writer;
    private final TransactionTemplate transaction;
    private final JobRecords records;
    private final StopSignal signal;
    private final LongSupplier nanoTime;

    private final List<NewEvent> events = new ArrayList<>();
    private final List<NewMetric> metrics = new ArrayList<>();
    private Progress progress;
    private boolean progressChanged;
    private int epochSeen;
    private int stepsSinceFlush;
    private long lastFlushNanos;
    /** The task of a continual job being trained; null for a single-task job. */
    private Task task;

    private record Progress(double fraction, Double etaSeconds, Integer epoch, Long step, Long totalSteps,
                            Integer taskIndex, Double taskFraction) {
    }

    /**
     * A continual job's task: progress is reported for the task and for the job (tasks done plus this one's
     * share), and metric steps continue from {@code stepOffset} because each task counts its steps from zero.
     */
    private record Task(int index, int count, long stepOffset) {
    }

    ProgressSink(UUID jobId, String workerName, WorkerProperties properties, JobQueue queue, ProgressWriter writer,
            PlatformTransactionManager transactionManager, JobRecords records, StopSignal signal, LongSupplier nanoTime) {
        this.jobId = jobId;
        this.workerName = workerName;
        this.properties = properties;
        this.queue = queue;
        this.writer = writer;
        this.transaction = new TransactionTemplate(transactionManager);
        this.records = records;
        this.signal = signal;
        this.nanoTime = nanoTime;
        this.lastFlushNanos = nanoTime.getAsLong();
    }

    /** From now on the run trains task {@code index} of {@code count} (continual jobs). */
    void startTask(int index, int count, long stepOffset) {
        task = new Task(index, count, stepOffset);
        epochSeen = 0;
        // the job stands at the start of this task: the previous task's position must not be written for it
        progress = new Progress(Math.min(0.99, (double) index / count), null, 0, 0L, null, index, 0.0);
        progressChanged = true;
    }

    @Override
    public void onStep(StepProgress step) {
        if (step.epoch() != epochSeen) {
            epochSeen = step.epoch();
            event(EventLevel.INFO, "epoch.started", "epoch " + step.epoch() + " of " + step.totalEpochs() + " started ("
                    + step.phase() + ")", data("epoch", step.epoch(), "total_epochs", step.totalEpochs(), "phase",
                    step.phase(), "step", step.step() - 1));
        }
        if (step.step() % properties.metricsEverySteps() == 0 || step.step() == step.totalSteps()) {
            long at = step.step() + (task == null ? 0 : task.stepOffset());
            metric(at, step.epoch(), MetricNames.LOSS, step.loss());
            metric(at, step.epoch(), MetricNames.LEARNING_RATE, step.learningRate());
            metric(at, step.epoch(), MetricNames.GRAD_NORM, step.gradNorm());
            metric(at, step.epoch(), QueueStatistics.STEP_TIME_METRIC, step.stepMillis());
            step.gammas().forEach((tensor, gamma) -> metric(at, step.epoch(), MetricNames.gamma(tensor), gamma));
        }
        // Training is done at the last step, but exporting follows: 1.0 is for a completed job.
        double fraction = Math.min(0.99, step.totalSteps() == 0 ? 0 : (double) step.step() / step.totalSteps());
        Double eta = finiteOrNull(step.etaSeconds());
        Double taskFraction = null;
        if (task != null) {
            taskFraction = fraction;
            fraction = Math.min(0.99, (task.index() + fraction) / task.count());
            // the tasks still to come are taken to last as long as this one
            int later = task.count() - task.index() - 1;
            if (eta != null && later > 0 && taskFraction > 0 && taskFraction < 1) {
                eta = eta + later * eta / (1 - taskFraction);
            }
        }
        progress = new Progress(fraction, eta, step.epoch(), step.step(), step.totalSteps(),
                task == null ? null : task.index(), taskFraction);
        progressChanged = true;
        stepsSinceFlush++;
        if (stepsSinceFlush >= properties.flushEverySteps()
                || nanoTime.getAsLong() - lastFlushNanos >= properties.flushInterval().toNanos()) {
            flush();
        }
    }

    @Override
    public void onEpochEnd(int epoch, long step, double meanLoss) {
        if (Double.isFinite(meanLoss)) {
            metric(step, epoch, MetricNames.EPOCH_LOSS, meanLoss);
        }
        event(EventLevel.INFO, "epoch.completed", "epoch " + epoch + " completed at step " + step + ", mean loss "
                + String.format("%.4f", meanLoss), data("epoch", epoch, "step", step, "mean_loss", finiteOrNull(meanLoss)));
        flush();
    }

    @Override
    public void onCheckpoint(int epoch, long step, Path file) {
        if (signal.reason() == StopSignal.Reason.LEASE_LOST) {
            return;
        }
        flush();
        JobRecords.StoredCheckpoint stored = records.storeCheckpoint(jobId, workerName, epoch, step, file,
                task == null ? null : task.index());
        // a checkpoint where a stopped run stopped lies inside the epoch after the last complete one
        String where = epochSeen > epoch ? "during epoch " + epochSeen + " at step " + step + " (" + epoch
                + (epoch == 1 ? " epoch" : " epochs") + " complete)" : "after epoch " + epoch + ", step " + step;
        event(EventLevel.INFO, "checkpoint.saved", "checkpoint saved " + where,
                data("checkpoint_id", stored.id().toString(), "epoch", epoch, "step", step, "size_bytes", size(file)));
        flush();
    }

    @Override
    public void onEvaluation(EvaluationReport report) {
        boolean base = EvaluationReport.BASE.equals(report.model());
        records.storeEvaluation(jobId, workerName, report, base ? null : report.epoch());
        String what = base ? "base reference (the unmodified base model with a converged logistic-regression head)"
                : "epoch " + report.epoch();
        event(EventLevel.INFO, "evaluation.completed", "evaluation of the " + what + ": ID accuracy "
                + percent(report.summary().idAccuracy()) + ", OOD mean " + percent(report.summary().oodMeanAccuracy())
                + ", OOD worst " + percent(report.summary().oodWorstAccuracy()),
                data("model", base ? "base_reference" : "fine_tuned", "epoch", base ? null : report.epoch(),
                        "id_accuracy", report.summary().idAccuracy(),
                        "ood_mean_accuracy", report.summary().oodMeanAccuracy(),
                        "ood_worst_accuracy", report.summary().oodWorstAccuracy()));
        flush();
    }

    @Override
    public void onMessage(String message) {
        event(EventLevel.INFO, "message", message, null);
    }

    /** Buffers an event; written with the next flush. */
    void event(EventLevel level, String type, String message, Map<String, Object> data) {
        events.add(new NewEvent(jobId, level, type, message, data == null ? null : Json.MAPPER.writeValueAsString(data)));
    }

    /** The buffered events, for an outcome written in its own transaction (with fail, markCancelled...). */
    List<NewEvent> drainEvents() {
        List<NewEvent> drained = new ArrayList<>(events);
        events.clear();
        return drained;
    }

    /**
     * Writes the buffered events and metrics and the latest progress in one transaction.
     *
     * @throws LeaseLostException if the job is no longer this worker's (nothing is written, the run must stop)
     */
    void flush() {
        lastFlushNanos = nanoTime.getAsLong();
        stepsSinceFlush = 0;
        if (events.isEmpty() && metrics.isEmpty() && !progressChanged) {
            return;
        }
        try {
            transaction.executeWithoutResult(status -> {
                // The lease check comes first: a worker that lost the job inserts nothing, and the transaction
                // takes no lock on the job row before it knows the job is still its own.
                if (progress != null && !queue.updateProgress(jobId, workerName, progress.fraction(),
                        progress.etaSeconds(), progress.epoch(), progress.step(), progress.totalSteps())) {
                    throw new LeaseLostException(jobId, workerName);
                }
                if (progress != null && progress.taskFraction() != null) {
                    queue.updateTaskProgress(jobId, workerName, progress.taskIndex(), progress.taskFraction());
                }
                writer.appendEvents(events);
                writer.appendMetrics(metrics);
            });
            events.clear();
            metrics.clear();
            progressChanged = false;
        } catch (LeaseLostException e) {
            signal.request(StopSignal.Reason.LEASE_LOST);
            events.clear();
            metrics.clear();
            throw e;
        } catch (DataAccessException e) {
            log.warn("job {}: could not write progress ({} events, {} metrics buffered), retrying with the next"
                    + " flush: {}", jobId, events.size(), metrics.size(), e.getMessage());
            if (metrics.size() > MAX_BUFFERED_METRICS) {
                metrics.subList(0, metrics.size() - MAX_BUFFERED_METRICS).clear();
            }
        }
    }

    private void metric(long step, int epoch, String name, double value) {
        if (Double.isFinite(value)) {
            metrics.add(new NewMetric(jobId, step, epoch, name, value));
        }
    }

    static Map<String, Object> data(Object... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put((String) keyValues[i], keyValues[i + 1]);
        }
        return data;
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static String percent(Double value) {
        return value == null ? "n/a" : String.format("%.1f%%", value * 100);
    }

    private static Long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
