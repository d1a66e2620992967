package dev.largo.worker.engine.train;

import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.export.PeftExporter;
import java.nio.file.Path;
import java.util.List;

/**
 * What a finished job produced.
 *
 * @param evaluations the fine-tuned model's evaluations, in order (the last is the final one)
 * @param reference the base reference (base backbone, converged logistic-regression head); null when skipped
 * @param lastCheckpoint the final checkpoint file
 * @param adapterZip the PEFT adapter zip (a README only for methods without adapters)
 * @param adapter what the zip holds
 * @param mergedModel directory with the merged {@code model.safetensors} and {@code config.json}
 * @param initialHead the task head at the start of the fine-tuning phase (safetensors): with the base weights,
 *     WiSE-FT's theta0
 * @param trainableParameters scalars the method trained (fine-tuning phase)
 * @param steps optimizer steps of the whole run
 * @param medianStepMillis median wall time per training step in this process (resumed runs: since resuming)
 */
public record JobResult(List<EvaluationReport> evaluations, EvaluationReport reference, Path lastCheckpoint,
                        Path adapterZip, PeftExporter.ExportedAdapter adapter, Path mergedModel, Path initialHead,
                        long trainableParameters, long steps, double medianStepMillis) {

    public JobResult {
        evaluations = List.copyOf(evaluations);
    }

    public EvaluationReport finalEvaluation() {
        return evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
    }
}
