package dev.largo.worker.runtime;

import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.MethodConfig;
import java.util.List;
import java.util.UUID;

/**
 * The training configuration of a job, read from its {@code jobs.spec} (the create request in the REST
 * contract's snake_case JSON) with every default resolved. The base model, training dataset and seed are
 * the job row's own columns.
 */
public record JobSpec(List<EvaluationSplit> evaluationSplits, MethodConfig method, Hyperparameters hyperparameters) {

    /**
     * @param domain the split's domain tag; null when the spec leaves it to the dataset's
     */
    public record EvaluationSplit(UUID dataset, SplitKind kind, String domain) {
    }

    public JobSpec {
        evaluationSplits = List.copyOf(evaluationSplits);
    }
}
