package dev.largo.worker.engine.train;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.model.ImageClassifier;

/**
 * Everything a {@link Trainer} trains with.
 *
 * @param model the model, task head in place and prepared for the method
 * @param prepared what trains and what is regulated
 * @param batcher turns training images into model input
 * @param seed the run seed (batch order)
 */
public record TrainingPlan(ImageClassifier model, MethodConfig method, PreparedMethod prepared,
                           Hyperparameters hyperparameters, ImageDataset trainData, ImageBatcher batcher, long seed) {
}
