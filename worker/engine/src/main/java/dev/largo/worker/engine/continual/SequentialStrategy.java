package dev.largo.worker.engine.continual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.train.Checkpoint;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingPlan;
import java.util.List;
import java.util.Map;

/**
 * The baselines: a single-task method (worker/engine/docs/largo.md §3 defaults) trained on task after task, its adapters (or
 * weights) carried on, a fresh optimizer each task (for largo the regulated projection is anchored at each
 * task's start). Joint uses it once over all tasks' data.
 */
final class SequentialStrategy implements ContinualStrategy {

    private final MethodConfig method;
    private final long seed;
    private PreparedMethod prepared;

    SequentialStrategy(MethodConfig method, long seed) {
        this.method = method;
        this.seed = seed;
    }

    @Override
    public void prepare(Classifier model, Checkpoint.Data resume, int taskIndex) {
        prepared = PreparedMethod.prepare(model, method, seed, resume);
    }

    @Override
    public void startTask(int taskIndex) {
    }

    @Override
    public MethodConfig methodConfig() {
        return method;
    }

    @Override
    public PreparedMethod prepared() {
        return prepared;
    }

    @Override
    public TrainingPlan.OptimizerSource optimizers() {
        return null;
    }

    @Override
    public void endTask(Trainer trainer) {
    }

    @Override
    public Map<String, NDArray> state(NDManager manager) {
        return Map.of();
    }

    @Override
    public List<String> loraTargets() {
        return method.lora() == null ? List.of() : method.lora().targetModules();
    }

    @Override
    public List<String> savedModules() {
        return List.of();
    }
}
