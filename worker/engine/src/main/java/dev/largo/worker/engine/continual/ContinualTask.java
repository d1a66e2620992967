package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.eval.EvalSplit;
import java.util.List;

/**
 * One task of a sequence: its training data and its own evaluation splits (ID/OOD, domain). The task's
 * accuracy in the accuracy matrix is the mean accuracy over its splits.
 */
public record ContinualTask(String name, LabelledData trainData, List<EvalSplit> evalSplits) {

    public ContinualTask {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a continual task needs a name");
        }
        if (trainData == null) {
            throw new IllegalArgumentException("task " + name + " has no training data");
        }
        evalSplits = List.copyOf(evalSplits);
        if (evalSplits.isEmpty()) {
            throw new IllegalArgumentException("task " + name + " needs at least one evaluation split");
        }
    }
}
