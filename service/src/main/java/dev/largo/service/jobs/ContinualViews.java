package dev.largo.service.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.largo.api.model.ContinualEvaluation;
import dev.largo.api.model.ContinualTask;
import dev.largo.api.model.EvaluationSplit;
import dev.largo.api.model.JobTask;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.jobs.JobTaskEntity;
import dev.largo.db.jobs.TaskAccuracyEntity;
import dev.largo.db.jobs.TaskStatus;

/** The API's view of a continual job's tasks and of its accuracy matrix. */
final class ContinualViews {

    private ContinualViews() {
    }

    /**
     * The job's tasks: configuration from the spec, lifecycle from the task rows. The worker reports a task's
     * start and end; how an attempt ends is the queue's (a lost worker, a cancel before the task ran, a
     * failure), so a task left unfinished by a job that has finished ends the way its job did, and one a
     * queued job will resume is shown pending.
     */
    static List<JobTask> tasks(List<ContinualTask> specTasks, List<JobTaskEntity> rows, JobStatus jobStatus) {
        Map<Integer, JobTaskEntity> byIndex = new HashMap<>();
        for (JobTaskEntity row : rows) {
            byIndex.put(row.getTaskIndex(), row);
        }
        List<JobTask> tasks = new ArrayList<>();
        for (int i = 0; i < specTasks.size(); i++) {
            ContinualTask task = specTasks.get(i);
            JobTaskEntity row = byIndex.get(i);
            TaskStatus stored = row == null ? TaskStatus.PENDING : row.getStatus();
            tasks.add(new JobTask()
                    .index(i)
                    .name(task.getName())
                    .trainingDataset(task.getTrainingDataset())
                    .evaluationSplits(new ArrayList<>(task.getEvaluationSplits()))
                    .status(dev.largo.api.model.TaskStatus.fromValue(shown(stored, jobStatus).wireValue()))
                    .progress(row == null ? 0.0 : Math.max(0.0, Math.min(1.0, row.getProgress())))
                    .startedAt(row == null ? null : JobViews.utc(row.getStartedAt()))
                    .finishedAt(row == null ? null : JobViews.utc(row.getFinishedAt()))
                    .adapter(row == null ? null : row.getAdapterId())
                    .averageAccuracy(row == null ? null : row.getAverageAccuracy())
                    .backwardTransfer(row == null ? null : row.getBackwardTransfer()));
        }
        return tasks;
    }

    private static TaskStatus shown(TaskStatus stored, JobStatus job) {
        if (stored == TaskStatus.SUCCEEDED || stored == TaskStatus.FAILED || stored == TaskStatus.CANCELLED) {
            return stored;
        }
        return switch (job) {
            case FAILED -> TaskStatus.FAILED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case VALIDATING, QUEUED -> TaskStatus.PENDING;
            default -> stored;
        };
    }

    /**
     * The accuracy matrix with the average accuracy and backward transfer after each trained task, as the
     * worker stored them (the engine computes them); a row per task that has a stored row, a column per task
     * of the job.
     */
    static ContinualEvaluation matrix(List<ContinualTask> specTasks, List<TaskAccuracyEntity> cells,
            List<JobTaskEntity> rows) {
        int columns = specTasks.size();
        int trained = cells.stream().mapToInt(c -> c.getAfterTask() + 1).max().orElse(0);
        List<List<Double>> accuracy = new ArrayList<>();
        for (int j = 0; j < trained; j++) {
            List<Double> row = new ArrayList<>();
            for (int i = 0; i < columns; i++) {
                row.add(null);
            }
            accuracy.add(row);
        }
        for (TaskAccuracyEntity cell : cells) {
            if (cell.getTaskIndex() < columns) {
                accuracy.get(cell.getAfterTask()).set(cell.getTaskIndex(), cell.getAccuracy());
            }
        }
        Map<Integer, JobTaskEntity> byIndex = new HashMap<>();
        for (JobTaskEntity row : rows) {
            byIndex.put(row.getTaskIndex(), row);
        }
        List<Double> average = new ArrayList<>();
        List<Double> backward = new ArrayList<>();
        for (int j = 0; j < trained; j++) {
            JobTaskEntity row = byIndex.get(j);
            average.add(row == null ? null : row.getAverageAccuracy());
            backward.add(row == null ? null : row.getBackwardTransfer());
        }
        return new ContinualEvaluation()
                .tasks(specTasks.stream().map(ContinualTask::getName).toList())
                .accuracy(accuracy)
                .averageAccuracy(average)
                .backwardTransfer(backward);
    }

    /** Every task's evaluation splits, in task order. */
    static List<EvaluationSplit> allSplits(List<ContinualTask> specTasks) {
        List<EvaluationSplit> splits = new ArrayList<>();
        for (ContinualTask task : specTasks) {
            splits.addAll(task.getEvaluationSplits());
        }
        return splits;
    }
}
