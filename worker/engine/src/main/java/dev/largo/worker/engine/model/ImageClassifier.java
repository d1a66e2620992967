package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;

/** An image classifier: a {@link Classifier} with a forward pass over pixels. */
public interface ImageClassifier extends Classifier {

    /**
     * Class scores.
     *
     * @param pixels [N, C, H, W] normalised pixels (same dtype as the weights)
     * @return [N, numLabels]
     */
    NDArray logits(NDArray pixels);
}
