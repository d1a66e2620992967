package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.eval.EvaluationReport;
import java.nio.file.Path;
import java.util.List;

/**
 * After task j: row a[j][i] for every task i of the job (i <= j seen, i > j forward transfer), one evaluation
 * report per task i (over task i's splits), the checkpoint holding the whole state, and the exports.
 *
 * @param checkpoint the end-of-task checkpoint; a job resumed from it, or continued with more tasks, goes on
 *     after this task
 * @param adapterZip PEFT adapter zip of the whole model so far (see {@code ContinualExport})
 * @param mergedModel directory with the merged {@code model.safetensors} and {@code config.json}
 */
public record TaskOutcome(int taskIndex, String taskName, double[] accuracyRow, List<EvaluationReport> reports,
                          Path checkpoint, Path adapterZip, Path mergedModel) {

    public TaskOutcome {
        reports = List.copyOf(reports);
    }
}
