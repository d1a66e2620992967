package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.model.ModelInitializer;
import dev.largo.worker.engine.model.ModelInspector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds BERT-family sequence classifiers (BERT, MiniLM, DistilBERT) and their tokenizers from a Hugging Face model folder ({@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}, optionally {@code tokenizer_config.json}).
 */
public final class BertModels {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private BertModels() {
    }

    /** Reads the folder's {@code config.json} ({@code model_type} {@code bert} or {@code distilbert}). */
    public static EncoderConfig config(Path modelDirectory) throws IOException {
        return EncoderConfig.parse(Files.readString(modelDirectory.resolve(CONFIG), StandardCharsets.UTF_8));
    }

    /**
     * The classifier of a model folder; a pooler or classifier the weights lack is initialised from
     * {@code seed} (N(0, initializer_range), bias 0).
     */
    public static BertClassifier load(Path modelDirectory, long seed, NDManager parent) throws IOException {
        return load(config(modelDirectory), modelDirectory.resolve(WEIGHTS), seed, parent);
    }

    /** As {@link #load(Path, long, NDManager)}, with the config already parsed. */
    public static BertClassifier load(EncoderConfig config, Path safetensors, long seed, NDManager parent)
            throws IOException {
        BertModelInspector.verifyHeader(config, ModelInspector.readHeader(safetensors, SafeTensorsFile.MAX_HEADER_BYTES));
        try (NDManager staging = parent.newSubManager()) {
            return create(config, SafeTensors.loadAsNDArrays(safetensors, staging), seed, parent);
        }
    }

    /**
     * A classifier over checkpoint tensors in any layout {@link BertCheckpoint} accepts, which it takes
     * ownership of (they move to a sub-manager of {@code parent}; dropped ones are closed).
     */
    public static BertClassifier create(EncoderConfig config, Map<String, NDArray> checkpoint, long seed, NDManager parent) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        checkpoint.forEach((name, array) -> shapes.put(name, array.getShape()));
        BertCheckpoint layout = BertCheckpoint.resolve(config, shapes);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        DataType dtype = null;
        for (Map.Entry<String, NDArray> entry : checkpoint.entrySet()) {
            String modelName = layout.modelNames().get(entry.getKey());
            if (modelName == null) {
                entry.getValue().close();
                continue;
            }
            tensors.put(modelName, entry.getValue());
            dtype = dtype == null ? entry.getValue().getDataType() : dtype;
        }
        Map<String, Shape> expected = config.expectedTensors();
        for (String module : layout.newModules()) {
            for (String name : new String[] {module + ".weight", module + ".bias"}) {
                tensors.put(name, ModelInitializer.freshTensor(name, expected.get(name), seed, config.initializerRange(),
                        dtype, parent));
            }
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            ordered.put(name, tensors.get(name));
        }
        return new BertClassifier(config, ordered, parent, layout.newModules());
    }

    /**
     * The folder's tokenizer, truncating to {@code maxSeqLength} capped by the model's position count.
     *
     * @throws dev.largo.worker.engine.model.InvalidModelException (param {@code tokenizer}) when
     *     {@code tokenizer.json} is missing, unusable, or produces ids past the model's vocabulary
     */
    public static TextTokenizer tokenizer(Path modelDirectory, EncoderConfig config, int maxSeqLength) throws IOException {
        Path tokenizerConfig = modelDirectory.resolve(TOKENIZER_CONFIG);
        return BertModelInspector.checkedTokenizer(config, modelDirectory.resolve(TOKENIZER),
                Files.exists(tokenizerConfig) ? tokenizerConfig : null, maxSeqLength);
    }
}
