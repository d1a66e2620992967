package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads a base model from {@code config.json} + {@code model.safetensors} (weights as float32). */
public final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * @throws InvalidModelException when the config or the weights do not describe a supported model
     *     (checked on the header before any tensor is read)
     */
    public static Classifier load(Path configJson, Path safetensors, NDManager parent) throws IOException {
        ModelConfig config = ModelConfig.parse(Files.readString(configJson, StandardCharsets.UTF_8));
        return load(config, safetensors, parent);
    }

    /** As {@link #load(ModelConfig, Path, long, NDManager)} with seed 0 for modules the checkpoint lacks. */
    public static Classifier load(ModelConfig config, Path safetensors, NDManager parent) throws IOException {
        return load(config, safetensors, 0, parent);
    }

    /** @param seed initialises modules the checkpoint lacks (a bare text encoder's pooler) */
    public static Classifier load(ModelConfig config, Path safetensors, long seed, NDManager parent)
            throws IOException {
        ModelInspector.verifyHeader(config, ModelInspector.readHeader(safetensors, SafeTensorsFile.MAX_HEADER_BYTES));
        try (NDManager staging = parent.newSubManager()) {
            Map<String, NDArray> tensors = SafeTensors.loadAsNDArrays(safetensors, staging);
            return Classifiers.create(config, tensors, seed, parent);
        }
    }

    /** An image model from its files (tests and tools that need its pixel forward pass). */
    public static ImageClassifier loadImage(Path configJson, Path safetensors, NDManager parent) throws IOException {
        return loadImage(ModelConfig.parse(Files.readString(configJson, StandardCharsets.UTF_8)), safetensors, parent);
    }

    /** An image model (tests and tools that need its pixel forward pass). */
    public static ImageClassifier loadImage(ModelConfig config, Path safetensors, NDManager parent) throws IOException {
        Classifier model = load(config, safetensors, parent);
        if (!(model instanceof ImageClassifier image)) {
            model.close();
            throw new IllegalArgumentException("model_type " + config.modelType() + " is not an image classifier");
        }
        return image;
    }
}
