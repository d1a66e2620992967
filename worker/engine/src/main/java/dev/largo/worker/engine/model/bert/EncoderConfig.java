package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The hyper-parameters every BERT-family encoder has, whatever its config.json calls them. */
public interface EncoderConfig extends ModelConfig {

    EncoderFamily family();

    int vocabSize();

    int hiddenSize();

    int numHiddenLayers();

    int numAttentionHeads();

    int intermediateSize();

    String hiddenAct();

    int maxPositionEmbeddings();

    /** 0 for a member without token types (DistilBERT). */
    int typeVocabSize();

    double layerNormEps();

    int padTokenId();

    /** The std of new weights (pooler, classifier). */
    double initializerRange();

    /**
     * Parses a BERT-family config.json, dispatching on {@code model_type} ({@code bert}, {@code distilbert}).
     *
     * @throws InvalidModelException (param {@code config}) naming the field at fault
     */
    static EncoderConfig parse(String json) {
        ObjectNode raw = ModelConfig.parseObject(json);
        JsonNode type = raw.get("model_type");
        if (type != null && type.isString() && type.stringValue().equals(EncoderFamily.DISTILBERT.modelType())) {
            return DistilBertConfig.from(raw);
        }
        return BertConfig.from(raw);
    }

    @Override
    default String modelType() {
        return family().modelType();
    }

    @Override
    default String architecture() {
        return family().architecture();
    }

    /** A text model has no image input. */
    @Override
    default int imageSize() {
        return 0;
    }

    /** A text model has no image input. */
    @Override
    default int numChannels() {
        return 0;
    }

    default int headDim() {
        return hiddenSize() / numAttentionHeads();
    }

    /** Every tensor of the sequence classifier, under the names of the family's {@code ...ForSequenceClassification}. */
    @Override
    default Map<String, Shape> expectedTensors() {
        EncoderFamily f = family();
        Map<String, Shape> t = ModelConfig.layout();
        long d = hiddenSize();
        long inner = intermediateSize();
        t.put(f.embedding("word_embeddings.weight"), new Shape(vocabSize(), d));
        t.put(f.embedding("position_embeddings.weight"), new Shape(maxPositionEmbeddings(), d));
        if (f.hasTokenTypes()) {
            t.put(f.embedding("token_type_embeddings.weight"), new Shape(typeVocabSize(), d));
        }
        t.put(f.embedding("LayerNorm.weight"), new Shape(d));
        t.put(f.embedding("LayerNorm.bias"), new Shape(d));
        for (int i = 0; i < numHiddenLayers(); i++) {
            BertLayerNames n = f.layer(i);
            for (String linear : List.of(n.query(), n.key(), n.value(), n.attentionOutput())) {
                t.put(linear + ".weight", new Shape(d, d));
                t.put(linear + ".bias", new Shape(d));
            }
            t.put(n.attentionNorm() + ".weight", new Shape(d));
            t.put(n.attentionNorm() + ".bias", new Shape(d));
            t.put(n.intermediate() + ".weight", new Shape(inner, d));
            t.put(n.intermediate() + ".bias", new Shape(inner));
            t.put(n.output() + ".weight", new Shape(d, inner));
            t.put(n.output() + ".bias", new Shape(d));
            t.put(n.outputNorm() + ".weight", new Shape(d));
            t.put(n.outputNorm() + ".bias", new Shape(d));
        }
        t.put(f.pooler() + ".weight", new Shape(d, d));
        t.put(f.pooler() + ".bias", new Shape(d));
        t.put(EncoderFamily.HEAD + ".weight", new Shape(labels().size(), d));
        t.put(EncoderFamily.HEAD + ".bias", new Shape(labels().size()));
        return Collections.unmodifiableMap(t);
    }

    /** Checks {@code architectures} (when present) names one checkpoint class of the family. */
    static void requireCheckpointClass(ObjectNode raw, EncoderFamily family) {
        JsonNode architectures = raw.get("architectures");
        if (architectures == null || architectures.isNull()) {
            return;
        }
        if (!architectures.isArray() || architectures.size() != 1 || !architectures.get(0).isString()
                || !family.checkpointClasses().contains(architectures.get(0).stringValue())) {
            throw new InvalidModelException("config", "architectures", "config.json: architectures must name one "
                    + family.modelType() + " checkpoint class (" + String.join(", ",
                    new java.util.TreeSet<>(family.checkpointClasses())) + "), found " + architectures);
        }
    }

    /** A copy of the config.json naming the class the engine builds, so an export loads as that class. */
    static ObjectNode asClassifier(ObjectNode raw, EncoderFamily family) {
        ObjectNode normalized = raw.deepCopy();
        normalized.putArray("architectures").add(family.architecture());
        return normalized;
    }

    /** The activation named by {@code field} (default gelu, the exact erf form), checked to be supported. */
    static String activation(ConfigFields fields, String field) {
        String act = fields.string(field, "gelu");
        Activations.require(act);
        return act;
    }

    /** {@code pad_token_id} (default 0): a token id, so below {@code vocabSize}. */
    static int padTokenId(ObjectNode raw, int vocabSize) {
        JsonNode node = raw.get("pad_token_id");
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0 || node.intValue() >= vocabSize) {
            throw ConfigFields.invalid("pad_token_id", "pad_token_id must be a token id in [0, vocab_size "
                    + vocabSize + "), found " + node);
        }
        return node.intValue();
    }
}
