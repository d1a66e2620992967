package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import dev.largo.worker.engine.io.TensorInfo;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelInspector;
import dev.largo.worker.engine.model.ModelSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks an uploaded BERT model without loading its weights: the config, the safetensors header against it
 * (every tensor floating point, named and shaped as {@link BertCheckpoint} accepts), and the tokenizer, which
 * must load and must not produce an id past the embedding table. Every fault is an {@link InvalidModelException}
 * naming the part: {@code config}, {@code weights}, {@code tokenizer} or {@code tokenizer_config}.
 */
public final class BertModelInspector {

    private BertModelInspector() {
    }

    /**
     * @param tokenizerJson {@code tokenizer.json}; null when the upload has none, which is refused
     * @param tokenizerConfigJson {@code tokenizer_config.json}, or null
     */
    public static ModelSummary inspect(String configJson, Path safetensorsFile, Path tokenizerJson,
                                       Path tokenizerConfigJson, long maxHeaderBytes) throws IOException {
        EncoderConfig config = EncoderConfig.parse(configJson);
        verifyHeader(config, ModelInspector.readHeader(safetensorsFile, maxHeaderBytes));
        checkedTokenizer(config, tokenizerJson, tokenizerConfigJson, TextTokenizer.DEFAULT_MAX_SEQ_LENGTH).close();
        return new ModelSummary(config.architecture(), config.numLabels(), 0, config.parameterCount(),
                config.modelType(), 0, config.labels());
    }

    /** A tokenizer for {@code config}'s model, refused when absent or when its ids exceed the vocabulary. */
    static TextTokenizer checkedTokenizer(EncoderConfig config, Path tokenizerJson, Path tokenizerConfigJson,
                                          int maxSeqLength) throws IOException {
        if (tokenizerJson == null || !Files.isRegularFile(tokenizerJson)) {
            throw new InvalidModelException("tokenizer", "a text model needs its tokenizer.json (the Hugging Face"
                    + " tokenizers file saved beside config.json); none was given");
        }
        TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson, tokenizerConfigJson,
                Math.min(maxSeqLength, config.maxPositionEmbeddings()));
        if (tokenizer.largestTokenId() >= config.vocabSize()) {
            tokenizer.close();
            throw new InvalidModelException("tokenizer", "model.vocab", "tokenizer.json produces token ids up to "
                    + tokenizer.largestTokenId() + " but the model's vocab_size is " + config.vocabSize()
                    + ": the tokenizer belongs to another model");
        }
        return tokenizer;
    }

    /** Fails unless the header holds floating-point tensors that {@link BertCheckpoint} maps onto the config. */
    static void verifyHeader(EncoderConfig config, SafeTensorsHeader header) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (TensorInfo info : header.tensors().values()) {
            if (!config.family().isDropped(info.name()) && !info.dtype().isFloatingPoint()) {
                throw new InvalidModelException("weights", info.name(), "tensor " + info.name() + " has dtype "
                        + info.dtype() + ", expected a floating-point type (F32, F16, BF16 or F64)");
            }
            shapes.put(info.name(), new Shape(info.shape()));
        }
        BertCheckpoint.resolve(config, shapes);
    }
}
