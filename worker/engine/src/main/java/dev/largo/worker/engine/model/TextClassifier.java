package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import dev.largo.worker.engine.data.TokenBatch;

/** A sequence classifier over token ids: a {@link Classifier} with a forward pass over a padded batch. */
public interface TextClassifier extends Classifier {

    /**
     * Class scores.
     *
     * @param batch token ids, attention mask and token type ids, each [N, T], on the step's manager
     * @return [N, numLabels]
     */
    NDArray logits(TokenBatch batch);
}
