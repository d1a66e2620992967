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

/** What differs between continual methods inside the one harness {@link ContinualRunner}. */
interface ContinualStrategy {

    /**
     * Makes the model ready once, for the task {@code taskIndex} the run starts or resumes at.
     *
     * @param resume the checkpoint resumed from (its frozen state is put back), or null
     */
    void prepare(Classifier model, Checkpoint.Data resume, int taskIndex);

    /** Before training task {@code taskIndex} (tasks come in order; the resumed task is started again). */
    void startTask(int taskIndex);

    /** The single-task method the trainer reports and checkpoints under. */
    MethodConfig methodConfig();

    /** What trains in the current task. */
    PreparedMethod prepared();

    /** The task's optimizer; null: the single-task method's ({@link dev.largo.worker.engine.train.OptimizerFactory}). */
    TrainingPlan.OptimizerSource optimizers();

    /** After task training, before evaluation and the end-of-task checkpoint. */
    void endTask(Trainer trainer);

    /** State beyond the trained tensors and the optimizer that a checkpoint must carry (new or live arrays). */
    Map<String, NDArray> state(NDManager manager);

    /** The adapter's {@code target_modules}; empty when the method has no adapter. */
    List<String> loraTargets();

    /** Modules saved whole in the adapter besides the head. */
    List<String> savedModules();
}
