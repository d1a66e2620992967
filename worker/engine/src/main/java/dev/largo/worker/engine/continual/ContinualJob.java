package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.train.Hyperparameters;
import java.nio.file.Path;
import java.util.List;

/**
 * A continual job: one model trained on {@code tasks} in order (domain-incremental: every task has the same
 * classes, which become the head's labels).
 *
 * @param gorp GORP's settings (null: {@link GorpConfig#DEFAULT}); must be null for the other methods
 * @param hyperparameters per task (each task trains {@code epochs} epochs with its own schedule); joint
 *     trains the same epochs once over all tasks' data
 * @param seed the run seed (head init, adapter inits, each task's batch order)
 * @param inputs the model's input preparation (its architecture's: image normalisation, or its tokenizer)
 */
public record ContinualJob(String baseModelName, ModelConfig baseConfig, Path baseWeights, List<ContinualTask> tasks,
                           ContinualMethod method, GorpConfig gorp, Hyperparameters hyperparameters, long seed,
                           ModelInputs inputs) {

    public ContinualJob {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a continual job needs at least one task");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("a continual job needs its model's input preparation");
        }
        if (method == null) {
            throw new IllegalArgumentException("a continual job needs a method");
        }
        if (method == ContinualMethod.GORP && gorp == null) {
            gorp = GorpConfig.DEFAULT;
        } else if (method != ContinualMethod.GORP && gorp != null) {
            throw new IllegalArgumentException("gorp settings apply only to method gorp, not " + method.id());
        }
        List<String> labels = tasks.get(0).trainData().classNames();
        if (labels.size() < 2) {
            throw new IllegalArgumentException("the tasks need at least 2 classes, found " + labels.size());
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ContinualTask task : tasks) {
            if (!task.trainData().classNames().equals(labels)) {
                throw new IllegalArgumentException("task " + task.name() + " has classes " + task.trainData().classNames()
                        + " but task " + tasks.get(0).name() + " has " + labels
                        + " (continual jobs are domain-incremental: every task has the same classes)");
            }
            if (!names.add(task.name())) {
                throw new IllegalArgumentException("two tasks are named " + task.name());
            }
        }
    }

    /** The head's labels: the tasks' common classes. */
    public List<String> labels() {
        return tasks.get(0).trainData().classNames();
    }

    /** An image job with Hugging Face ViT's normalisation (0.5, 0.5). */
    public ContinualJob(String baseModelName, ModelConfig baseConfig, Path baseWeights, List<ContinualTask> tasks,
                        ContinualMethod method, GorpConfig gorp, Hyperparameters hyperparameters, long seed) {
        this(baseModelName, baseConfig, baseWeights, tasks, method, gorp, hyperparameters, seed,
                ImageBatcher.of(baseConfig, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD));
    }

    /** The same job over the first {@code count} tasks (what a checkpoint of task count - 1 was written for). */
    public ContinualJob prefix(int count) {
        return new ContinualJob(baseModelName, baseConfig, baseWeights, tasks.subList(0, count), method,
                method == ContinualMethod.GORP ? gorp : null, hyperparameters, seed, inputs);
    }
}
