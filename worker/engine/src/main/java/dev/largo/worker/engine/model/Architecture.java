package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One supported model architecture, as a package of its own under {@code engine.model} ({@code vit}, {@code mlp},
 * {@code bert}): how its {@code config.json} is read and checked (which fixes its tensor layout, see
 * {@link ModelConfig#expectedTensors()}), which checkpoints it reads, how a classifier over its tensors is built
 * (its forward pass), what LoRA targets by default and how examples become its input. The rest of the engine (PEFT
 * layers, methods, training, evaluation, export) sees only {@link ModelConfig}, {@link Classifier} and
 * {@link ModelInputs}, so an architecture is added by one package and one line in {@link ModelRegistry}.
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
     * Fails unless a weights file with this header can build the config's model. By default the header must hold
     * exactly {@link ModelConfig#expectedTensors()}, all floating point.
     *
     * @throws InvalidModelException (param {@code weights}) naming the tensor at fault
     */
    default void verifyHeader(ModelConfig config, SafeTensorsHeader header) {
        ModelInspector.verifyExactTensors(config, header);
    }

    /**
     * A classifier over {@code tensors}, which it takes ownership of (they move to a sub-manager of
     * {@code parent}; close the classifier to release them).
     *
     * @param config a config this architecture parsed
     * @param seed initialises any module the checkpoint lacks (a text encoder's pooler); unused otherwise
     * @throws InvalidModelException (param {@code weights}) when a tensor is missing, unexpected, of the wrong
     *     shape or not floating point
     */
    Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent);

    /** The LoRA {@code target_modules} when a job names none: every attention and MLP linear of the encoder. */
    List<String> defaultLoraTargets();

    /**
     * How examples become this model's input: image normalisation, or the model's own tokenizer read from the
     * model folder.
     *
     * @throws InvalidModelException when a file the preparation needs is missing or unusable (a text model's
     *     {@code tokenizer.json})
     */
    ModelInputs inputs(ModelConfig config, InputSettings settings) throws IOException;
}
