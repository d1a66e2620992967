package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One supported model architecture, as a package of its own under {@code engine.model} ({@code vit}, {@code mlp};
 * a text encoder is the next): how its {@code config.json} is read and checked (which fixes its tensor layout, see
 * {@link ModelConfig#expectedTensors()}) and how a classifier over its tensors is built (its forward pass). The
 * rest of the engine (PEFT layers, methods, export) sees only {@link ModelConfig} and {@link ImageClassifier}, so an
 * architecture is added by one package and one line in {@link ModelRegistry}.
 */
public interface Architecture {

    /** The {@code model_type} of its config.json. */
    String modelType();

    /**
     * Reads and checks config.json (already known to be an object with this {@code model_type}).
     *
     * @throws InvalidModelException (param {@code config}) naming the field at fault
     */
    ModelConfig parse(ObjectNode raw, ConfigFields fields);

    /**
     * A classifier over {@code tensors}, which it takes ownership of (they move to a sub-manager of
     * {@code parent}; close the classifier to release them).
     *
     * @param config a config this architecture parsed
     * @throws InvalidModelException (param {@code weights}) when a tensor is missing, unexpected, of the wrong
     *     shape or not floating point
     */
    ImageClassifier create(ModelConfig config, Map<String, NDArray> tensors, NDManager parent);
}
