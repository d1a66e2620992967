package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/** Builds a classifier of the config's architecture from named tensors. */
public final class ImageClassifiers {

    private ImageClassifiers() {
    }

    /**
     * A classifier over {@code tensors}, which it takes ownership of (they move to a sub-manager of
     * {@code parent}; close the classifier to release them).
     *
     * @throws InvalidModelException (param {@code weights}) when a tensor is missing, unexpected, of the wrong
     *     shape or not floating point
     */
    public static ImageClassifier create(ModelConfig config, Map<String, NDArray> tensors, NDManager parent) {
        return ModelRegistry.of(config).create(config, tensors, parent);
    }
}
