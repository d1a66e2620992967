package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.optim.Optimizer;

/**
 * Everything a {@link Trainer} trains with.
 *
 * @param model the model, task head in place and prepared for the method
 * @param prepared what trains and what is regulated
 * @param inputs turns training rows into model input (the model's architecture supplies it)
 * @param seed the run seed (batch order)
 * @param optimizers builds the fine-tuning phase's optimizer; null: {@link OptimizerFactory} for the method
 *     (continual methods such as GORP bring their own)
 */
public record TrainingPlan(Classifier model, MethodConfig method, PreparedMethod prepared,
                           Hyperparameters hyperparameters, LabelledData trainData, ModelInputs inputs, long seed,
                           OptimizerSource optimizers) {

    /** Makes the fine-tuning phase's optimizer, its state on {@code state}. */
    @FunctionalInterface
    public interface OptimizerSource {
        Optimizer create(NDManager state, Hyperparameters hyper);
    }

    public TrainingPlan(Classifier model, MethodConfig method, PreparedMethod prepared,
                        Hyperparameters hyperparameters, LabelledData trainData, ModelInputs inputs, long seed) {
        this(model, method, prepared, hyperparameters, trainData, inputs, seed, null);
    }
}
