package dev.largo.worker.runtime;

import dev.largo.db.frontier.FrontierQueue;
import dev.largo.db.queue.ClaimedJob;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.frontier.Frontier;
import dev.largo.worker.engine.frontier.FrontierEvaluator;
import dev.largo.worker.engine.frontier.FrontierPoint;
import dev.largo.worker.engine.frontier.WeightInterpolation;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.TrainingJob;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Runs one claimed robustness-frontier evaluation (issue #16): stages the job's base model, evaluation splits, merged
 * fine-tuned model and initial head, evaluates WiSE-FT's interpolation at every requested alpha
 * ({@link FrontierEvaluator}), and stores the curve point by point (each point also renews the lease; a lease thread
 * renews it between points). A job without an interpolation start (no initial head kept) fails the evaluation with a
 * message; an infrastructure error or a shutdown gives it back for another worker.
 */
public class FrontierExecution {

    private static final Logger log = LoggerFactory.getLogger(FrontierExecution.class);

    private final WorkerProperties properties;
    private final String workerName;
    private final Device device;
    private final FrontierQueue frontiers;
    private final Duration lease;
    private final JdbcTemplate jdbc;
    private final JobInputs inputs;
    private final ArtifactStaging staging;

    public FrontierExecution(WorkerProperties properties, String workerName, Device device, FrontierQueue frontiers,
            Duration lease, JdbcTemplate jdbc, JobInputs inputs, ArtifactStaging staging) {
        this.properties = properties;
        this.workerName = workerName;
        this.device = device;
        this.frontiers = frontiers;
        this.lease = lease;
        this.jdbc = jdbc;
        this.inputs = inputs;
        this.staging = staging;
    }

    public Optional<FrontierQueue.Claimed> claim() {
        return frontiers.claim(workerName, lease);
    }

    /** What the evaluation needs from the job's rows. */
    private record Source(ClaimedJob job, UUID mergedArtifact, UUID initialHeadArtifact) {
    }

    public void run(FrontierQueue.Claimed claimed, StopSignal signal) {
        Path directory = properties.resolvedWorkDir().resolve(workerName.replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("frontier-" + claimed.id() + "-attempt-" + claimed.attempt());
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "largo-frontier-lease-" + claimed.id().toString().substring(0, 8));
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, lease.toMillis() / 3);
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                if (!frontiers.heartbeat(claimed.id(), workerName, lease)) {
                    signal.request(StopSignal.Reason.LEASE_LOST);
                }
            } catch (RuntimeException e) {
                log.warn("frontier {}: heartbeat failed: {}", claimed.id(), e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            log.info("frontier {} of job {}: claimed (attempt {})", claimed.id(), claimed.jobId(), claimed.attempt());
            evaluate(claimed, signal, directory);
        } catch (InvalidJobException e) {
            log.warn("frontier {}: cannot be evaluated: {}", claimed.id(), e.getMessage());
            frontiers.fail(claimed.id(), workerName, e.getMessage());
        } catch (FrontierEvaluator.CancelledException e) {
            if (signal.reason() != StopSignal.Reason.LEASE_LOST) {
                frontiers.release(claimed.id(), workerName);
            }
        } catch (Exception | OutOfMemoryError e) {
            log.error("frontier {}: attempt {} failed; giving it back", claimed.id(), claimed.attempt(), e);
            try {
                frontiers.release(claimed.id(), workerName);
            } catch (RuntimeException again) {
                log.error("frontier {}: could not give it back; its lease will expire", claimed.id(), again);
            }
        } finally {
            heartbeat.shutdownNow();
            deleteDirectory(directory);
        }
    }

    private void evaluate(FrontierQueue.Claimed claimed, StopSignal signal, Path directory) throws IOException {
        Source source = source(claimed.jobId());
        TrainingJob job = inputs.prepare(source.job(), JobSpecParser.parse(source.job().specJson()),
                directory.resolve("inputs"));
        Path merged = directory.resolve("merged");
        unzip(staging.stage(source.mergedArtifact(), directory.resolve("merged.zip")), merged);
        Path head = staging.stage(source.initialHeadArtifact(), directory.resolve("initial_head.safetensors"));
        WeightInterpolation interpolation;
        try {
            interpolation = WeightInterpolation.fromFiles(job.baseWeights(), head,
                    merged.resolve(MergedModelWriter.WEIGHTS));
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_MODEL, null, "the fine-tuned model does not"
                    + " match its base model: " + e.getMessage(), e);
        }
        List<Double> alphas = Json.MAPPER.readValue(claimed.alphasJson(), new TypeReference<List<Double>>() { });
        List<Map<String, Object>> points = new ArrayList<>();
        FrontierEvaluator evaluator = new FrontierEvaluator(new Evaluator(job.inputs(),
                job.hyperparameters().batchSize()));
        try (NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device)) {
            Frontier curve = evaluator.evaluate(merged.resolve(MergedModelWriter.CONFIG),
                    merged.resolve(MergedModelWriter.WEIGHTS), interpolation, job.evalSplits(), alphas, manager,
                    (done, total, point) -> {
                        points.add(json(point));
                        if (!frontiers.progress(claimed.id(), workerName, Json.MAPPER.writeValueAsString(points),
                                lease)) {
                            signal.request(StopSignal.Reason.LEASE_LOST);
                        }
                    }, signal.asSupplier());
            if (!frontiers.complete(claimed.id(), workerName, Json.MAPPER.writeValueAsString(points))) {
                log.warn("frontier {}: finished, but the lease was lost; another worker has it", claimed.id());
                return;
            }
            log.info("frontier {} of job {}: {} points", claimed.id(), claimed.jobId(), curve.points().size());
        }
    }

    /** A point as the service reads it back (snake_case, accuracies as fractions, per split by split name). */
    static Map<String, Object> json(FrontierPoint point) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alpha", point.alpha());
        out.put("id_accuracy", point.idAccuracy());
        out.put("ood_mean_accuracy", point.oodMeanAccuracy());
        out.put("ood_worst_accuracy", point.oodWorstAccuracy());
        out.put("splits", new LinkedHashMap<>(point.accuracyBySplit()));
        return out;
    }

    private Source source(UUID jobId) {
        List<Source> found = jdbc.query("""
                select j.id, j.tenant_id, j.attempts, j.spec::text, j.base_model_id, j.training_dataset_id, j.seed,
                       j.method_type, a.merged_artifact_id, a.initial_head_artifact_id
                from jobs j join adapters a on a.id = j.fine_tuned_adapter_id
                where j.id = ? and j.status = 'succeeded'""", (rs, i) -> new Source(
                new ClaimedJob(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, UUID.class), rs.getLong(7), rs.getString(8)),
                rs.getObject(9, UUID.class), rs.getObject(10, UUID.class)), jobId);
        if (found.isEmpty()) {
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, null, "job " + jobId
                    + " has no succeeded fine-tuned adapter to interpolate");
        }
        Source source = found.get(0);
        if (source.initialHeadArtifact() == null || source.mergedArtifact() == null) {
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, null, "job " + jobId + " kept no"
                    + " starting point for the interpolation (it finished before the frontier existed, or it is"
                    + " continual): run it again to get a frontier");
        }
        return source;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into) || entry.isDirectory()) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            }
        }
    }

    private void deleteDirectory(Path directory) {
        if (properties.keepWorkDirs() || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("could not clean up {}: {}", directory, e.getMessage());
        }
    }
}
