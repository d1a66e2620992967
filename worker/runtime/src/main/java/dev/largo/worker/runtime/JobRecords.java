package dev.largo.worker.runtime;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationKind;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.NewEvent;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.EvaluatedSplit;
import dev.largo.worker.engine.eval.SplitMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a running job leaves in the database: checkpoints, evaluation rows and the final adapter.
 *
 * <p>Every write is fenced by the lease: it commits only while this worker still owns the running job (the
 * job row is locked and checked in the same transaction), so a worker that lost its lease, e.g. one paused
 * past its lease and then woken, cannot add rows to a job another worker now runs. Files go to the artifact
 * store first, outside the lock, so a long upload never holds the job row; an upload whose fenced write is
 * refused is deleted again.
 */
public class JobRecords {

    static final String SAFETENSORS = "application/octet-stream";
    static final String ZIP = "application/zip";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ArtifactStore artifacts;
    private final CheckpointRepository checkpoints;
    private final EvaluationRepository evaluations;
    private final AdapterRepository adapters;
    private final JobQueue queue;
    private final ProgressWriter progressWriter;

    public JobRecords(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ArtifactStore artifacts,
            CheckpointRepository checkpoints, EvaluationRepository evaluations, AdapterRepository adapters,
            JobQueue queue, ProgressWriter progressWriter) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.artifacts = artifacts;
        this.checkpoints = checkpoints;
        this.evaluations = evaluations;
        this.adapters = adapters;
        this.queue = queue;
        this.progressWriter = progressWriter;
    }

    /** A stored checkpoint a resumed attempt can start from. */
    public record StoredCheckpoint(UUID id, int epoch, long step, UUID artifactId) {
    }

    /** The checkpoint with the most steps, if any attempt stored one. */
    public Optional<StoredCheckpoint> newestCheckpoint(UUID jobId) {
        return checkpoints.findFirstByJobIdOrderByStepDesc(jobId)
                .map(c -> new StoredCheckpoint(c.getId(), c.getEpoch(), c.getStep(), c.getArtifactId()));
    }

    /** A continual job's last written checkpoint (its tasks count steps afresh), if any attempt stored one. */
    public Optional<StoredCheckpoint> lastWrittenCheckpoint(UUID jobId) {
        return checkpoints.findFirstByJobIdOrderByCreatedAtDescStepDesc(jobId)
                .map(c -> new StoredCheckpoint(c.getId(), c.getEpoch(), c.getStep(), c.getArtifactId()));
    }

    /**
     * Runs {@code work} in a transaction that holds the job row, if {@code workerName} owns the running job.
     *
     * @throws LeaseLostException otherwise (nothing is written)
     */
    public <T> T whileOwner(UUID jobId, String workerName, Supplier<T> work) {
        return transaction.execute(status -> {
            // FOR NO KEY UPDATE is what the heartbeat's UPDATE takes: it waits for this short transaction,
            // and the reaper (SKIP LOCKED) passes the row by, so the lease cannot change under the write.
            List<Boolean> owner = jdbc.query("""
                    select lease_owner = ? and status = 'running' from jobs where id = ? for no key update""",
                    (rs, i) -> rs.getBoolean(1), workerName, jobId);
            if (owner.isEmpty() || !owner.get(0)) {
                throw new LeaseLostException(jobId, workerName);
            }
            return work.get();
        });
    }

    /** Stores a checkpoint file and its row. */
    public StoredCheckpoint storeCheckpoint(UUID jobId, String workerName, int epoch, long step, Path file) {
        return storeCheckpoint(jobId, workerName, epoch, step, file, null);
    }

    /**
     * Stores a checkpoint file and its row.
     *
     * @param taskIndex the task of a continual job it was written in; null for a single-task job
     */
    public StoredCheckpoint storeCheckpoint(UUID jobId, String workerName, int epoch, long step, Path file,
            Integer taskIndex) {
        ArtifactRef ref = putCheckpoint(jobId, step, file, taskIndex);
        try {
            return whileOwner(jobId, workerName, () -> insertCheckpoint(jobId, epoch, step, ref, taskIndex));
        } catch (RuntimeException e) {
            deleteQuietly(ref.id(), e);
            throw e;
        }
    }

    /** Uploads a checkpoint file (outside any lock); its row is {@link #insertCheckpoint}'s. */
    ArtifactRef putCheckpoint(UUID jobId, long step, Path file, Integer taskIndex) {
        String name = taskIndex == null ? "checkpoint-" + jobId + "-step-" + step
                : "checkpoint-" + jobId + "-task-" + taskIndex + "-step-" + step;
        return put(ArtifactStore.KIND_CHECKPOINT, name + ".safetensors", SAFETENSORS, file);
    }

    /** The row of an uploaded checkpoint. Inside {@link #whileOwner}. */
    StoredCheckpoint insertCheckpoint(UUID jobId, int epoch, long step, ArtifactRef ref, Integer taskIndex) {
        CheckpointEntity saved = checkpoints.save(new CheckpointEntity(UUID.randomUUID(), jobId, epoch, step, ref.id())
                .forTask(taskIndex));
        return new StoredCheckpoint(saved.getId(), epoch, step, ref.id());
    }

    /**
     * Stores one evaluation's rows, replacing earlier rows of the same model and epoch: an attempt that resumes
     * from a checkpoint older than an evaluation of the previous attempt evaluates that epoch again.
     *
     * @param epoch the epoch the rows are filed under; null for the final and the base-reference rows
     */
    public void storeEvaluation(UUID jobId, String workerName, EvaluationReport report, Integer epoch) {
        whileOwner(jobId, workerName, () -> {
            insertEvaluation(jobId, report, epoch);
            return null;
        });
    }

    /**
     * The files a finished run produced.
     *
     * @param initialHead the task head at the fine-tuning phase's start (WiSE-FT's start), or null
     */
    public record FinalResult(Path adapterZip, Path mergedZip, Path initialHead, String methodType, int rank,
                              EvaluationReport finalEvaluation, long steps) {
    }

    /**
     * Stores the adapter zip and the merged model, the adapter row, the final evaluation rows and the
     * {@code job.succeeded} event, and marks the job succeeded, all in one transaction: either the job is
     * succeeded with its adapter or nothing changed.
     *
     * @return the adapter id
     */
    public UUID complete(UUID jobId, String workerName, String tenantId, String baseModelId, FinalResult result) {
        AdapterFiles files = putAdapterFiles(jobId, "", result.adapterZip(), result.mergedZip());
        ArtifactRef head;
        try {
            head = result.initialHead() == null ? null : put(ArtifactStore.KIND_INITIAL_HEAD,
                    "initial-head-" + jobId + ".safetensors", "application/octet-stream", result.initialHead());
        } catch (RuntimeException e) {
            deleteQuietly(files, e);
            throw e;
        }
        try {
            return whileOwner(jobId, workerName, () -> {
                AdapterEntity adapter = insertAdapter(jobId, tenantId, baseModelId, files, result.methodType(),
                        result.rank(), head == null ? null : head.id());
                if (result.finalEvaluation() != null) {
                    insertEvaluation(jobId, result.finalEvaluation(), null);
                }
                if (!queue.complete(jobId, workerName, adapter.getId())) {
                    throw new LeaseLostException(jobId, workerName);
                }
                progressWriter.appendEvents(List.of(NewEvent.info(jobId, "job.succeeded", "succeeded after "
                        + result.steps() + " steps; adapter " + adapter.getId())));
                return adapter.getId();
            });
        } catch (RuntimeException e) {
            deleteQuietly(files, e);
            if (head != null) {
                deleteQuietly(head.id(), e);
            }
            throw e;
        }
    }

    /** An adapter's two files in the artifact store, not yet referenced by a row. */
    record AdapterFiles(ArtifactRef peft, ArtifactRef merged) {
    }

    /**
     * Uploads an adapter zip and the merged model's folder as a zip (outside any lock); {@code tag} tells apart a
     * job's several adapters.
     */
    AdapterFiles putAdapterFiles(UUID jobId, String tag, Path adapterZip, Path mergedZip) {
        ArtifactRef peft = put(ArtifactStore.KIND_ADAPTER, "adapter-" + jobId + tag + ".zip", ZIP, adapterZip);
        try {
            return new AdapterFiles(peft, put(ArtifactStore.KIND_MERGED_MODEL, "model-" + jobId + tag + ".zip",
                    ZIP, mergedZip));
        } catch (RuntimeException e) {
            deleteQuietly(peft.id(), e);
            throw e;
        }
    }

    /** The adapter row for uploaded files, flushed (a job or task row may refer to it at once). Inside {@link #whileOwner}. */
    AdapterEntity insertAdapter(UUID jobId, String tenantId, String baseModelId, AdapterFiles files, String methodType,
            int rank) {
        return insertAdapter(jobId, tenantId, baseModelId, files, methodType, rank, null);
    }

    /** As above, with the artifact of the head WiSE-FT interpolates from (null: none kept). */
    AdapterEntity insertAdapter(UUID jobId, String tenantId, String baseModelId, AdapterFiles files, String methodType,
            int rank, UUID initialHeadArtifactId) {
        AdapterEntity adapter = new AdapterEntity(UUID.randomUUID());
        adapter.setTenantId(tenantId);
        adapter.setJobId(jobId);
        adapter.setBaseModelId(baseModelId);
        adapter.setPeftArtifactId(files.peft().id());
        adapter.setMergedArtifactId(files.merged().id());
        adapter.setMethodType(methodType);
        adapter.setRank(rank);
        adapter.setInitialHeadArtifactId(initialHeadArtifactId);
        adapters.saveAndFlush(adapter);
        return adapter;
    }

    void deleteQuietly(AdapterFiles files, RuntimeException cause) {
        deleteQuietly(files.peft().id(), cause);
        deleteQuietly(files.merged().id(), cause);
    }

    private void insertEvaluation(UUID jobId, EvaluationReport report, Integer epoch) {
        EvaluatedModel model = model(report);
        jdbc.update("delete from evaluations where job_id = ? and model = ? and epoch is not distinct from ?"
                + " and after_task is null", jobId, model.wireValue(), new SqlParameterValue(Types.INTEGER, epoch));
        evaluations.saveAll(evaluationRows(jobId, report, epoch));
    }

    /** A continual job's rows of task {@code taskIndex}'s splits after task {@code afterTask}, replacing earlier ones. */
    void insertTaskEvaluation(UUID jobId, EvaluationReport report, int taskIndex, int afterTask) {
        jdbc.update("delete from evaluations where job_id = ? and model = ? and task_index = ? and after_task = ?",
                jobId, model(report).wireValue(), taskIndex, afterTask);
        List<EvaluationEntity> rows = evaluationRows(jobId, report, null);
        rows.forEach(row -> row.forTask(taskIndex, afterTask));
        evaluations.saveAll(rows);
    }

    private static EvaluatedModel model(EvaluationReport report) {
        return EvaluationReport.BASE.equals(report.model()) ? EvaluatedModel.BASE_REFERENCE : EvaluatedModel.FINE_TUNED;
    }

    private static List<EvaluationEntity> evaluationRows(UUID jobId, EvaluationReport report, Integer epoch) {
        EvaluatedModel model = model(report);
        List<EvaluationEntity> rows = new ArrayList<>();
        for (EvaluatedSplit split : report.splits()) {
            SplitMetrics metrics = split.metrics();
            rows.add(new EvaluationEntity(jobId, epoch, split.split(), split.inDomain() ? EvaluationKind.ID
                    : EvaluationKind.OOD, split.domain(), model, metrics.accuracy(), metrics.meanLoss(),
                    metrics.expectedCalibrationError(), Math.toIntExact(metrics.count())));
        }
        return rows;
    }

    private ArtifactRef put(String kind, String filename, String contentType, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return artifacts.put(kind, filename, contentType, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to store it", e);
        }
    }

    void deleteQuietly(UUID artifactId, RuntimeException cause) {
        try {
            artifacts.delete(artifactId);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
