package dev.largo.worker.engine.continual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.method.gorp.GorpModel;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.train.Checkpoint;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingPlan;
import java.util.List;
import java.util.Map;

/** GORP (worker/engine/docs/gorp.md) in the continual harness: {@link GorpModel} carried from task to task. */
final class GorpStrategy implements ContinualStrategy {

    private final GorpConfig config;
    private final long seed;
    private GorpModel gorp;

    GorpStrategy(GorpConfig config, long seed) {
        this.config = config;
        this.seed = seed;
    }

    @Override
    public void prepare(Classifier model, Checkpoint.Data resume, int taskIndex) {
        gorp = GorpModel.prepare(model, config, seed);
        if (resume != null) {
            gorp.restore(taskIndex, resume.state());
        }
    }

    @Override
    public void startTask(int taskIndex) {
        if (taskIndex != gorp.task()) {
            gorp.startTask(taskIndex);
        }
    }

    /**
     * Only labels checkpoints and progress: GORP brings its own optimizer. Its low-rank part is a gaussian LoRA
     * on the LoRA targets (full fine-tuning when it has none).
     */
    @Override
    public MethodConfig methodConfig() {
        return config.loraTargets().isEmpty() ? MethodConfig.defaults(MethodType.FULL)
                : new MethodConfig(MethodType.LORA,
                        new LoraConfig(config.rank(), config.alpha(), config.loraTargets(), LoraInit.GAUSSIAN), null);
    }

    @Override
    public PreparedMethod prepared() {
        return gorp.describe();
    }

    @Override
    public TrainingPlan.OptimizerSource optimizers() {
        return gorp.optimizers();
    }

    @Override
    public void endTask(Trainer trainer) {
        gorp.growSpaces(trainer.optimizer());
    }

    @Override
    public Map<String, NDArray> state(NDManager manager) {
        return gorp.state(manager);
    }

    @Override
    public List<String> loraTargets() {
        return config.loraTargets();
    }

    @Override
    public List<String> savedModules() {
        return config.fullRankTargets();
    }

    GorpModel model() {
        return gorp;
    }
}
