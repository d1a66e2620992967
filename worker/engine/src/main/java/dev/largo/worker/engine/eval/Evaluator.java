package dev.largo.worker.engine.eval;

import ai.djl.ndarray.NDArray;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a classifier over evaluation splits in batches, without gradients (no gradient collector is open, so
 * PyTorch records no graph), and reports accuracy, mean loss, ECE and count per split plus the ID/OOD
 * summary.
 */
public final class Evaluator {

    private final ModelInputs inputs;
    private final int batchSize;

    public Evaluator(ModelInputs inputs, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.inputs = inputs;
        this.batchSize = batchSize;
    }

    /** Every split, then the summary. */
    public EvaluationReport evaluate(Classifier model, List<EvalSplit> splits, Integer epoch, Long step,
                                     String modelKind) {
        List<EvaluatedSplit> results = new ArrayList<>();
        for (EvalSplit split : splits) {
            results.add(new EvaluatedSplit(split.name(), split.kind() == SplitKind.ID, split.domain(),
                    evaluate(model, split.data())));
        }
        return new EvaluationReport(epoch, step, modelKind, results, EvalSummary.of(results));
    }

    /** One split. */
    public SplitMetrics evaluate(Classifier model, LabelledData data) {
        Metrics metrics = new Metrics();
        int count = data.count();
        for (int from = 0; from < count; from += batchSize) {
            int to = Math.min(count, from + batchSize);
            int[] indices = new int[to - from];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            try (ForwardScope scope = ForwardScope.open(model)) {
                NDArray logits = inputs.logits(model, data, indices, scope.manager());
                metrics.add(logits, inputs.labels(data, indices, scope.manager()));
            }
        }
        return metrics.result();
    }
}
