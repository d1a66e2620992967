package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.optim.Optimizer;

/**
 * Everything a {@link Trainer} trains with.
 *
 * @param model the model, task head in place and prepared for the method
 * @param prepared what trains and what is regulated
 * @param batcher turns training images into model input
 * @param seed the run seed (batch order)
 * @param optimizers builds the fine-tuning phase's optimizer; null: {@link OptimizerFactory} for the method
 *     (continual methods such as GORP bring their own)
 */
public record TrainingPlan(ImageClassifier model, MethodConfig method, PreparedMethod prepared,
                           Hyperparameters hyperparameters, ImageDataset trainData, ImageBatcher batcher, long seed,
                           OptimizerSource optimizers) {

    /** Makes the fine-tuning phase's optimizer, its state on {@code state}. */
    @FunctionalInterface
    public interface OptimizerSource {
        Optimizer create(NDManager state, Hyperparameters hyper);
    }

    public TrainingPlan(ImageClassifier model, MethodConfig method, PreparedMethod prepared,
                        Hyperparameters hyperparameters, ImageDataset trainData, ImageBatcher batcher, long seed) {
        this(model, method, prepared, hyperparameters, trainData, batcher, seed, null);
    }
}
