package dev.largo.worker.runtime;

import ai.djl.Device;
import dev.largo.db.jobs.EventLevel;
import dev.largo.db.queue.ClaimedJob;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.NewEvent;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.worker.engine.continual.ContinualJob;
import dev.largo.worker.engine.continual.ContinualResult;
import dev.largo.worker.engine.continual.ContinualRunner;
import dev.largo.worker.engine.export.HfModelFolder;
import dev.largo.worker.engine.train.JobResult;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.NonFiniteLossException;
import dev.largo.worker.engine.train.TrainingCancelledException;
import dev.largo.worker.engine.support.InvalidSettingException;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one claimed job to the end of this attempt: keeps its lease, stages its inputs, resumes from its newest
 * checkpoint if an earlier attempt left one, trains with the engine while writing progress, stores the
 * results, and ends the attempt the way the queue's contract asks:
 * <ul>
 *   <li>success: adapter, merged model and final evaluations stored, job {@code succeeded} (one transaction);</li>
 *   <li>bad job (spec, model, dataset, diverged loss): {@code fail} with {code, message, param}, no retry;</li>
 *   <li>cancel requested: stops before the next step, stores a checkpoint of where it stopped,
 *       {@code markCancelled};</li>
 *   <li>shutdown: the same checkpoint, then {@code release}, so another worker resumes the job at once;</li>
 *   <li>lease lost: stops and writes nothing more (another worker may own the job);</li>
 *   <li>anything else (database, I/O, out of memory): {@code retryLater}, which resumes from the newest
 *       checkpoint after a backoff until the attempt limit.</li>
 * </ul>
 */
public class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

    private final WorkerProperties properties;
    private final String workerName;
    private final Device device;
    private final JobQueue queue;
    private final JdbcTemplate jdbc;
    private final PlatformTransactionManager transactionManager;
    private final TransactionTemplate transaction;
    private final ProgressWriter writer;
    private final JobRecords records;
    private final JobInputs inputs;
    private final ArtifactStaging staging;
    private final ContinualRecords continualRecords;

    public JobExecution(WorkerProperties properties, String workerName, Device device, JobQueue queue,
            JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ProgressWriter writer,
            JobRecords records, JobInputs inputs, ArtifactStaging staging, ContinualRecords continualRecords) {
        this.properties = properties;
        this.workerName = workerName;
        this.device = device;
        this.queue = queue;
        this.jdbc = jdbc;
        this.transactionManager = transactionManager;
        this.transaction = new TransactionTemplate(transactionManager);
        this.writer = writer;
        this.records = records;
        this.inputs = inputs;
        this.staging = staging;
        this.continualRecords = continualRecords;
    }

    /** Runs the attempt; returns when the job has left this worker's hands, whatever happened. */
    public void run(ClaimedJob claimed, StopSignal signal) {
        UUID jobId = claimed.id();
        Path directory = properties.resolvedWorkDir().resolve(workerName.replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve(jobId + "-attempt-" + claimed.attempts());
        // Every log line about this job, from this thread and its lease thread, carries its id and tenant
        // (fields of their own in the structured formats, e.g. LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs).
        MDC.put("job_id", jobId.toString());
        MDC.put("tenant", claimed.tenantId()); // the same key as the service's request logs
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        ProgressSink sink = new ProgressSink(jobId, workerName, properties, queue, writer, transactionManager, records,
                signal, System::nanoTime);
        // The lease is kept on threads of its own: a long training step must not let it lapse.
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(() -> {
                MDC.setContextMap(logContext);
                runnable.run();
            }, "largo-lease-" + jobId.toString().substring(0, 8));
            thread.setDaemon(true);
            return thread;
        });
        try (LeaseKeeper lease = new LeaseKeeper(queue, jdbc, jobId, workerName, signal)) {
            lease.start(scheduler, properties.cancelPollInterval());
            log.info("job {}: claimed (attempt {}), method {}", jobId, claimed.attempts(), claimed.methodType());
            attempt(claimed, signal, sink, directory);
        } catch (Exception | OutOfMemoryError e) {
            // attempt() handles everything; this is what escapes even the failure handling (e.g. the database
            // is gone while reporting an error). The lease runs out and the reaper retries the job.
            log.error("job {}: could not record the end of this attempt; its lease will expire and the job will be"
                    + " retried", jobId, e);
        } finally {
            scheduler.shutdownNow();
            deleteDirectory(directory);
            MDC.remove("job_id");
            MDC.remove("tenant");
        }
    }

    private void attempt(ClaimedJob claimed, StopSignal signal, ProgressSink sink, Path directory) {
        UUID jobId = claimed.id();
        try {
            String deviceName = WorkerDevice.describe(device);
            sink.event(EventLevel.INFO, "job.claimed", "claimed by worker " + workerName + " (attempt "
                    + claimed.attempts() + ", device " + deviceName + ")", Map.of("worker", workerName, "attempt",
                    claimed.attempts(), "device", deviceName));
            sink.flush();
            if (JobSpecParser.isContinual(claimed.specJson())) {
                runContinual(claimed, signal, sink, directory);
                return;
            }
            JobSpec spec = JobSpecParser.parse(claimed.specJson());
            TrainingJob job = inputs.prepare(claimed, spec, directory.resolve("inputs"));
            Path resumeFrom = stageCheckpoint(records.newestCheckpoint(jobId), directory.resolve("inputs"), sink);
            JobResult result = new JobRunner(job, directory.resolve("run"), sink, signal.asSupplier(), device)
                    .run(resumeFrom);
            TokenizerFiles.copy(stagedModel(directory), result.mergedModel());
            sink.flush();
            UUID adapterId = records.complete(jobId, workerName, claimed.tenantId(), claimed.baseModelId(),
                    new JobRecords.FinalResult(result.adapterZip(), HfModelFolder.zip(result.mergedModel(),
                            directory.resolve("run").resolve("merged.zip")),
                            claimed.methodType(), result.adapter().hasAdapter() ? result.adapter().rank() : 0,
                            result.finalEvaluation(), result.steps()));
            log.info("job {}: succeeded, adapter {}", jobId, adapterId);
        } catch (InvalidJobException e) {
            fail(claimed, sink, e.code(), e.getMessage(), e.param());
        } catch (NonFiniteLossException e) {
            fail(claimed, sink, InvalidJobException.TRAINING_DIVERGED, e.getMessage(), "hyperparameters.learning_rate");
        } catch (TrainingCancelledException | LeaseLostException e) {
            stopped(claimed, signal, sink, e);
        } catch (Exception | OutOfMemoryError e) {
            if (signal.reason() != null) {
                // Stopping was under way (e.g. a shutdown interrupted an upload): end the way it asked.
                stopped(claimed, signal, sink, e);
            } else {
                retryLater(claimed, sink, e);
            }
        }
    }

    /**
     * A continual job: the tasks in order through the engine's {@link ContinualRunner}, each task's results
     * stored as it ends ({@link ContinualSink}), resuming from the last checkpoint written: a mid-task one after
     * a lost attempt, or the end of the last task when the job was extended with more tasks. The job succeeds
     * with the adapter of its last task.
     */
    private void runContinual(ClaimedJob claimed, StopSignal signal, ProgressSink sink, Path directory)
            throws IOException {
        UUID jobId = claimed.id();
        ContinualSpec spec = JobSpecParser.parseContinual(claimed.specJson());
        ContinualJob job = inputs.prepareContinual(claimed, spec, directory.resolve("inputs"));
        Path resumeFrom = stageCheckpoint(records.lastWrittenCheckpoint(jobId), directory.resolve("inputs"), sink);
        ContinualSink listener = new ContinualSink(sink, continualRecords, claimed, workerName,
                spec.tasks().stream().map(ContinualSpec.Task::name).toList(), stagedModel(directory));
        ContinualResult result;
        try {
            result = new ContinualRunner(job, directory.resolve("run"), listener, signal.asSupplier(), device)
                    .run(resumeFrom);
        } catch (InvalidSettingException e) {
            // settings checked only against the model (GORP's target modules) are the spec's fault too
            throw JobSpecParser.invalidSpec(e, "method");
        }
        sink.flush();
        int last = spec.tasks().size() - 1;
        UUID adapterId = continualRecords.taskAdapter(jobId, last).orElseThrow(() -> new IllegalStateException(
                "the continual run ended without the adapter of its last task (" + result.tasks().size()
                        + " task(s) trained in this attempt)"));
        continualRecords.complete(jobId, workerName, adapterId, spec.tasks().size());
        log.info("job {}: succeeded after {} task(s), adapter {}", jobId, spec.tasks().size(), adapterId);
    }

    /** Downloads the checkpoint an earlier attempt (or run, for an extended continual job) left, if there is one. */
    /** Where {@link JobInputs} staged the base model's folder. */
    private static Path stagedModel(Path directory) {
        return directory.resolve("inputs").resolve(JobInputs.MODEL_FOLDER);
    }

    private Path stageCheckpoint(Optional<JobRecords.StoredCheckpoint> newest, Path directory, ProgressSink sink)
            throws IOException {
        if (newest.isEmpty()) {
            return null;
        }
        JobRecords.StoredCheckpoint checkpoint = newest.get();
        Path file = staging.stage(checkpoint.artifactId(), directory.resolve("resume.safetensors"));
        sink.event(EventLevel.INFO, "job.resumed", "resuming from checkpoint " + checkpoint.id() + " (epoch "
                + checkpoint.epoch() + ", step " + checkpoint.step() + ")", Map.of("checkpoint_id",
                checkpoint.id().toString(), "epoch", checkpoint.epoch(), "step", checkpoint.step()));
        sink.flush();
        return file;
    }

    private void stopped(ClaimedJob claimed, StopSignal signal, ProgressSink sink, Throwable cause) {
        UUID jobId = claimed.id();
        StopSignal.Reason reason = cause instanceof LeaseLostException ? StopSignal.Reason.LEASE_LOST : signal.reason();
        if (reason == null || reason == StopSignal.Reason.LEASE_LOST) {
            log.warn("job {}: stopped without writing more: the lease is lost ({})", jobId, cause.getMessage());
            return;
        }
        if (reason == StopSignal.Reason.CANCEL) {
            List<NewEvent> events = sink.drainEvents();
            events.add(NewEvent.info(jobId, "job.cancelled", "cancelled as requested; the checkpoints are kept"));
            boolean done = Boolean.TRUE.equals(transaction.execute(status -> {
                writer.appendEvents(events);
                if (!queue.markCancelled(jobId, workerName)) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            }));
            log.info("job {}: {}", jobId, done ? "cancelled" : "cancel requested, but the lease was already lost");
        } else {
            flushQuietly(sink);
            boolean released = queue.release(jobId, workerName);
            log.info("job {}: {}", jobId, released ? "released for another worker to resume (shutting down)"
                    : "not released: the lease was already lost");
        }
    }

    private void fail(ClaimedJob claimed, ProgressSink sink, String code, String message, String param) {
        UUID jobId = claimed.id();
        log.warn("job {}: failed ({}{}): {}", jobId, code, param == null ? "" : ", " + param, message);
        List<NewEvent> events = sink.drainEvents();
        events.add(new NewEvent(jobId, EventLevel.ERROR, "job.failed", message,
                Json.MAPPER.writeValueAsString(errorData(code, message, param))));
        transaction.executeWithoutResult(status -> {
            writer.appendEvents(events);
            if (!queue.fail(jobId, workerName, code, message, param)) {
                status.setRollbackOnly();
            }
        });
    }

    private void retryLater(ClaimedJob claimed, ProgressSink sink, Throwable error) {
        UUID jobId = claimed.id();
        String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        log.error("job {}: attempt {} failed; retrying later from the newest checkpoint", jobId, claimed.attempts(), error);
        flushQuietly(sink);
        queue.retryLater(jobId, workerName, reason);
    }

    private static Map<String, Object> errorData(String code, String message, String param) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code);
        data.put("message", message);
        data.put("param", param);
        return data;
    }

    private static void flushQuietly(ProgressSink sink) {
        try {
            sink.flush();
        } catch (RuntimeException e) {
            log.debug("progress flush before ending the attempt failed: {}", e.getMessage());
        }
    }

    private void deleteDirectory(Path directory) {
        if (properties.keepWorkDirs() || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", path, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("could not clean up {}: {}", directory, e.getMessage());
        }
    }
}
