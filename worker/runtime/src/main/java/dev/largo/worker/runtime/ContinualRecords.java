package dev.largo.worker.runtime;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.NewEvent;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.worker.engine.continual.AccuracyMatrix;
import dev.largo.worker.engine.continual.TaskOutcome;
import dev.largo.worker.engine.export.HfModelFolder;
import java.nio.file.Path;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * What a continual job leaves in the database beyond a single job's records: each task's start (the job's
 * current task, the task running), and after each task, in one transaction fenced by the lease, the task's
 * adapter (the PEFT export of the model so far, downloadable like any adapter), its row of the accuracy
 * matrix, the evaluation rows of every task's splits, the average accuracy and backward transfer so far
 * (computed by the engine's {@link AccuracyMatrix} over the stored rows, so they cover the tasks of earlier
 * attempts and of the job before it was extended), and the task succeeded.
 */
public class ContinualRecords {

    private final JobRecords records;
    private final JdbcTemplate jdbc;
    private final JobQueue queue;
    private final ProgressWriter progressWriter;

    public ContinualRecords(JobRecords records, JdbcTemplate jdbc, JobQueue queue, ProgressWriter progressWriter) {
        this.records = records;
        this.jdbc = jdbc;
        this.queue = queue;
        this.progressWriter = progressWriter;
    }

    /**
     * Marks task {@code index} running (and, for joint training, the tasks before it, trained with it) and the
     * job's current task.
     *
     * @return the step offset of the task's metrics: the last metric step of the tasks before it, fixed when
     *     the task first starts (a resumed task keeps it)
     */
    public long startTask(UUID jobId, String workerName, int index) {
        return records.whileOwner(jobId, workerName, () -> {
            jdbc.update("update jobs set current_task = ?, updated_at = now() where id = ?", index, jobId);
            jdbc.update("""
                    update job_tasks set status = 'running', started_at = coalesce(started_at, now()),
                        step_offset = coalesce(step_offset,
                            (select coalesce(max(step), 0) from job_metrics where job_id = ?))
                    where job_id = ? and task_index <= ? and status in ('pending', 'running')""", jobId, jobId, index);
            Long offset = jdbc.queryForObject("select step_offset from job_tasks where job_id = ? and task_index = ?",
                    Long.class, jobId, index);
            return offset == null ? 0L : offset;
        });
    }

    /** The figures stored after a task. */
    public record TaskFigures(UUID adapterId, Double averageAccuracy, Double backwardTransfer) {
    }

    /** The checkpoint the engine wrote at the end of a task (the state the next task, or an extension, starts from). */
    public record EndCheckpoint(int epoch, long step, Path file) {
    }

    /**
     * Stores what the engine reports after a task (see the class comment) with the task's end checkpoint, in
     * one transaction: an attempt that resumes from that checkpoint goes on after the task, so the task's
     * results must be stored exactly when it is.
     *
     * @param methodType the job's method, for the adapter
     */
    public TaskFigures finishTask(UUID jobId, String workerName, String tenantId, String baseModelId, String methodType,
            TaskOutcome outcome, EndCheckpoint end) {
        int j = outcome.taskIndex();
        JobRecords.AdapterFiles files = records.putAdapterFiles(jobId, "-task-" + j, outcome.adapterZip(),
                zipped(outcome.mergedModel()));
        ArtifactRef checkpoint;
        try {
            checkpoint = records.putCheckpoint(jobId, end.step(), end.file(), j);
        } catch (RuntimeException e) {
            records.deleteQuietly(files, e);
            throw e;
        }
        try {
            return records.whileOwner(jobId, workerName, () -> {
                records.insertCheckpoint(jobId, end.epoch(), end.step(), checkpoint, j);
                AdapterEntity adapter = records.insertAdapter(jobId, tenantId, baseModelId, files, methodType,
                        AdapterZips.rank(outcome.adapterZip()));
                for (int i = 0; i < outcome.reports().size(); i++) {
                    records.insertTaskEvaluation(jobId, outcome.reports().get(i), i, j);
                }
                double[] row = outcome.accuracyRow();
                jdbc.update("delete from task_accuracies where job_id = ? and after_task = ?", jobId, j);
                for (int i = 0; i < row.length; i++) {
                    if (!Double.isNaN(row[i])) {
                        jdbc.update("insert into task_accuracies (job_id, after_task, task_index, accuracy)"
                                + " values (?, ?, ?, ?)", jobId, j, i, row[i]);
                    }
                }
                AccuracyMatrix matrix = storedMatrix(jobId, j, row.length);
                Double average = finiteOrNull(matrix.averageAccuracy());
                Double backward = finiteOrNull(matrix.backwardTransfer());
                jdbc.update("""
                        update job_tasks set status = 'succeeded', progress = 1, finished_at = now(),
                            adapter_id = case when task_index = ? then ? else adapter_id end,
                            average_accuracy = case when task_index = ? then ? else average_accuracy end,
                            backward_transfer = case when task_index = ? then ? else backward_transfer end
                        where job_id = ? and (task_index = ? or (task_index < ? and status = 'running'))""",
                        j, adapter.getId(), j, new SqlParameterValue(Types.DOUBLE, average), j,
                        new SqlParameterValue(Types.DOUBLE, backward), jobId, j, j);
                return new TaskFigures(adapter.getId(), average, backward);
            });
        } catch (RuntimeException e) {
            records.deleteQuietly(files, e);
            records.deleteQuietly(checkpoint.id(), e);
            throw e;
        }
    }

    /** The adapter stored after task {@code index}, if it has finished (in this attempt or an earlier one). */
    public Optional<UUID> taskAdapter(UUID jobId, int index) {
        return jdbc.queryForList("select adapter_id from job_tasks where job_id = ? and task_index = ?"
                + " and adapter_id is not null", UUID.class, jobId, index).stream().findFirst();
    }

    /**
     * Marks the job succeeded with the adapter of its last task (one transaction with its event).
     *
     * @throws LeaseLostException if the worker no longer owns the job
     */
    public void complete(UUID jobId, String workerName, UUID adapterId, int tasks) {
        records.whileOwner(jobId, workerName, () -> {
            if (!queue.complete(jobId, workerName, adapterId)) {
                throw new LeaseLostException(jobId, workerName);
            }
            progressWriter.appendEvents(List.of(NewEvent.info(jobId, "job.succeeded", "succeeded after " + tasks
                    + " task(s); adapter " + adapterId)));
            return null;
        });
    }

    /** Rows 0..{@code last} of the stored matrix, NaN where a cell was never measured. */
    private AccuracyMatrix storedMatrix(UUID jobId, int last, int columns) {
        double[][] rows = new double[last + 1][columns];
        for (double[] row : rows) {
            Arrays.fill(row, Double.NaN);
        }
        jdbc.query("select after_task, task_index, accuracy from task_accuracies where job_id = ? and after_task <= ?"
                + " and task_index < ?", rs -> {
                    rows[rs.getInt(1)][rs.getInt(2)] = rs.getDouble(3);
                }, jobId, last, columns);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            names.add("task " + i);
        }
        return new AccuracyMatrix(names, rows);
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The merged model's folder as the zip a user downloads, written beside the folder. */
    private static Path zipped(Path mergedFolder) {
        try {
            return HfModelFolder.zip(mergedFolder, mergedFolder.resolveSibling(mergedFolder.getFileName() + ".zip"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot zip the merged model " + mergedFolder, e);
        }
    }
}
