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
    public static ImageClassifier load(Path configJson, Path safetensors, NDManager parent) throws IOException {
        ModelConfig config = ModelConfig.parse(Files.readString(configJson, StandardCharsets.UTF_8));
        return load(config, safetensors, parent);
    }

    public static ImageClassifier load(ModelConfig config, Path safetensors, NDManager parent) throws IOException {
        ModelInspector.verifyHeader(config, ModelInspector.readHeader(safetensors, SafeTensorsFile.MAX_HEADER_BYTES));
        try (NDManager staging = parent.newSubManager()) {
            Map<String, NDArray> tensors = SafeTensors.loadAsNDArrays(safetensors, staging);
            return ImageClassifiers.create(config, tensors, parent);
        }
    }
}
