package dev.largo.worker.runtime;

import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.train.Hyperparameters;
import java.util.List;
import java.util.UUID;

/**
 * The configuration of a continual job, read from its {@code jobs.spec} (a create request with {@code tasks}):
 * its tasks in training order, the continual method with GORP's settings (null for the other methods), and
 * the hyperparameters each task trains with.
 */
public record ContinualSpec(List<Task> tasks, ContinualMethod method, GorpConfig gorp, Hyperparameters hyperparameters) {

    /** One task: its name, training dataset and evaluation splits. */
    public record Task(String name, UUID trainingDataset, List<JobSpec.EvaluationSplit> evaluationSplits) {
        public Task {
            evaluationSplits = List.copyOf(evaluationSplits);
        }
    }

    public ContinualSpec {
        tasks = List.copyOf(tasks);
    }
}
