package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Builds a classifier of the config's architecture from named tensors. */
public final class Classifiers {

    private Classifiers() {
    }

    /**
     * A classifier over {@code tensors}, which it takes ownership of (they move to a sub-manager of
     * {@code parent}; close the classifier to release them).
     *
     * @param seed initialises modules the checkpoint lacks (a text encoder's pooler)
     * @throws InvalidModelException (param {@code weights}) when a tensor is missing, unexpected, of the wrong
     *     shape or not floating point
     */
    public static Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent) {
        return ModelRegistry.of(config).create(config, tensors, seed, parent);
    }

    /** An image classifier over {@code tensors} (tests and tools that build a ViT or MLP directly). */
    public static ImageClassifier createImage(ModelConfig config, Map<String, NDArray> tensors, NDManager parent) {
        Classifier model = create(config, tensors, 0, parent);
        if (!(model instanceof ImageClassifier image)) {
            model.close();
            throw new IllegalArgumentException("model_type " + config.modelType() + " is not an image classifier");
        }
        return image;
    }
}
