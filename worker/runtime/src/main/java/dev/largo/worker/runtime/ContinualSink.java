package dev.largo.worker.runtime;

import dev.largo.db.jobs.EventLevel;
import dev.largo.db.queue.ClaimedJob;
import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.TaskOutcome;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.train.StepProgress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Writes what a {@link dev.largo.worker.engine.continual.ContinualRunner} reports: steps, epochs, mid-task
 * checkpoints and messages as for a single job ({@link ProgressSink}, which also keeps the job's and the task's
 * progress), plus each task's start and, after each task, its results ({@link ContinualRecords}).
 *
 * <p>The engine evaluates every task's splits after a task, writes that task's end checkpoint and then reports
 * the task's outcome. The end checkpoint is held back and stored with the outcome in one transaction, so that a
 * worker that dies in between resumes from before the task instead of skipping its results.
 */
final class ContinualSink implements ContinualListener {

    private final ProgressSink sink;
    private final ContinualRecords records;
    private final ClaimedJob claimed;
    private final String workerName;
    private final List<String> taskNames;
    private boolean evaluatedThisTask;
    private ContinualRecords.EndCheckpoint endCheckpoint;
    private final Path stagedModel;

    /**
     * @param stagedModel the staged base model's folder: a text model's tokenizer files go from there into each
     *     task's merged model
     */
    ContinualSink(ProgressSink sink, ContinualRecords records, ClaimedJob claimed, String workerName,
            List<String> taskNames, Path stagedModel) {
        this.stagedModel = stagedModel;
        this.sink = sink;
        this.records = records;
        this.claimed = claimed;
        this.workerName = workerName;
        this.taskNames = List.copyOf(taskNames);
    }

    @Override
    public void onTaskStart(int taskIndex, String taskName) {
        sink.flush();
        long offset = records.startTask(claimed.id(), workerName, taskIndex);
        sink.startTask(taskIndex, taskNames.size(), offset);
        evaluatedThisTask = false;
        endCheckpoint = null;
        sink.event(EventLevel.INFO, "task.started", "task " + (taskIndex + 1) + " of " + taskNames.size() + " ("
                + taskName + ") started", ProgressSink.data("task", taskIndex, "name", taskName));
        sink.flush();
    }

    @Override
    public void onStep(StepProgress step) {
        sink.onStep(step);
    }

    @Override
    public void onEpochEnd(int epoch, long step, double meanLoss) {
        sink.onEpochEnd(epoch, step, meanLoss);
    }

    @Override
    public void onCheckpoint(int epoch, long step, Path file) {
        if (evaluatedThisTask) {
            // after the task's evaluations: its end checkpoint, stored with its outcome
            endCheckpoint = new ContinualRecords.EndCheckpoint(epoch, step, file);
        } else {
            sink.onCheckpoint(epoch, step, file);
        }
    }

    /** The task-end evaluations are stored with the task's outcome; here they only mark the end of training. */
    @Override
    public void onEvaluation(EvaluationReport report) {
        evaluatedThisTask = true;
    }

    @Override
    public void onMessage(String message) {
        sink.onMessage(message);
    }

    @Override
    public void onTaskEnd(TaskOutcome outcome) {
        sink.flush();
        ContinualRecords.EndCheckpoint end = endCheckpoint != null ? endCheckpoint
                : new ContinualRecords.EndCheckpoint(0, 0, outcome.checkpoint());
        TokenizerFiles.copy(stagedModel, outcome.mergedModel());
        ContinualRecords.TaskFigures figures = records.finishTask(claimed.id(), workerName, claimed.tenantId(),
                claimed.baseModelId(), claimed.methodType(), outcome, end);
        endCheckpoint = null;
        evaluatedThisTask = false;
        String row = String.join(", ", Arrays.stream(outcome.accuracyRow())
                .mapToObj(a -> Double.isNaN(a) ? "n/a" : String.format("%.1f%%", a * 100)).toList());
        sink.event(EventLevel.INFO, "task.completed", "task " + (outcome.taskIndex() + 1) + " (" + outcome.taskName()
                + ") done: accuracy per task [" + row + "], average accuracy " + ProgressSink.percent(figures.averageAccuracy())
                + ", backward transfer " + points(figures.backwardTransfer()) + "; adapter " + figures.adapterId(),
                ProgressSink.data("task", outcome.taskIndex(), "name", outcome.taskName(), "adapter_id", figures.adapterId().toString(),
                        "average_accuracy", figures.averageAccuracy(), "backward_transfer", figures.backwardTransfer()));
        sink.flush();
    }

    private static String points(Double value) {
        return value == null ? "n/a" : String.format("%+.1f pp", value * 100);
    }
}
