package dev.largo.worker.engine.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ImageClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a classifier as a plain Hugging Face model: {@code model.safetensors} (HF names, float32, adapters
 * merged as W_res + s B A, which equals W0 + the exported delta), {@code config.json} with the task's labels and
 * {@code preprocessor_config.json} (the engine's image preprocessing): a complete Hugging Face model folder.
 */
public final class MergedModelWriter {

    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";

    private MergedModelWriter() {
    }

    /**
     * Writes {@code model.safetensors}, {@code config.json} and, for an image model, {@code preprocessor_config.json}
     * into {@code directory} (created if needed). A text model's folder is complete once its tokenizer files
     * ({@code tokenizer.json}, {@code tokenizer_config.json}) are copied beside them: the model does not hold them.
     */
    public static void write(Classifier model, Path directory) throws IOException {
        Files.createDirectories(directory);
        writeWeights(model, directory.resolve(WEIGHTS));
        Files.writeString(directory.resolve(CONFIG), model.config().toJson(), StandardCharsets.UTF_8);
        if (model instanceof ImageClassifier) {
            PreprocessorConfig.write(model.config(), directory);
        }
    }

    /** Writes only {@code model.safetensors} (metadata {@code format: pt}, as transformers writes it). */
    public static void writeWeights(Classifier model, Path file) throws IOException {
        try (NDManager scratch = model.manager().newSubManager()) {
            Map<String, NDArray> merged = model.mergedWeights(scratch);
            Map<String, NDArray> float32 = new LinkedHashMap<>();
            merged.forEach((name, array) -> float32.put(name,
                    array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false)));
            SafeTensors.writeNDArrays(file, float32, Map.of("format", "pt"));
        }
    }
}
