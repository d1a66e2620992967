package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Hugging Face BERT encoder ({@code model_type: "bert"}: BERT, MiniLM) as a {@code BertForSequenceClassification},
 * with the transformers defaults for absent fields. Any BERT checkpoint class is accepted ({@code BertModel},
 * sentence-transformers, the pretraining heads): the engine always builds the sequence classifier, so the
 * config it writes back names {@code BertForSequenceClassification}. Dropout fields are read by nobody:
 * fine-tuning here runs without dropout.
 */
public record BertConfig(ObjectNode raw, List<String> labels, int vocabSize, int hiddenSize, int numHiddenLayers,
                         int numAttentionHeads, int intermediateSize, String hiddenAct, int maxPositionEmbeddings,
                         int typeVocabSize, double layerNormEps, int padTokenId, double initializerRange)
        implements ModelConfig {

    public static final String MODEL_TYPE = "bert";
    public static final String ARCHITECTURE = "BertForSequenceClassification";
    /** The encoder's prefix in a {@code BertFor...} checkpoint (a bare {@code BertModel} has none). */
    public static final String PREFIX = "bert.";
    /** Checkpoint classes whose encoder this engine reads. */
    static final Set<String> ACCEPTED_ARCHITECTURES = Set.of("BertModel", ARCHITECTURE, "BertForMaskedLM",
            "BertForPreTraining", "BertForNextSentencePrediction");

    public BertConfig {
        labels = List.copyOf(labels);
    }

    /**
     * Parses config.json text.
     *
     * @throws InvalidModelException (param {@code config}) naming the field at fault
     */
    public static BertConfig parse(String json) {
        return from(ModelConfig.parseObject(json));
    }

    /** Reads a parsed config.json whose {@code model_type} is {@code bert}. */
    public static BertConfig from(ObjectNode raw) {
        ConfigFields fields = new ConfigFields(raw);
        String modelType = fields.string("model_type", null);
        if (!MODEL_TYPE.equals(modelType)) {
            throw ConfigFields.invalid("model_type", "model_type must be \"" + MODEL_TYPE + "\", found " + raw.get("model_type"));
        }
        requireArchitecture(raw.get("architectures"));
        int hidden = fields.positiveInt("hidden_size", 768);
        int heads = fields.attentionHeads(hidden);
        String positions = fields.string("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw ConfigFields.invalid("position_embedding_type",
                    "position_embedding_type \"" + positions + "\" is not supported (supported: absolute)");
        }
        String act = fields.string("hidden_act", "gelu");
        Activations.require(act);
        int vocab = fields.positiveInt("vocab_size", 30522);
        int padTokenId = nonNegativeInt(raw, "pad_token_id", 0);
        if (padTokenId >= vocab) {
            throw ConfigFields.invalid("pad_token_id", "pad_token_id " + padTokenId + " is not below vocab_size " + vocab);
        }
        ObjectNode normalized = raw.deepCopy();
        normalized.putArray("architectures").add(ARCHITECTURE);
        return new BertConfig(normalized, fields.labels(), vocab, hidden, fields.positiveInt("num_hidden_layers", 12),
                heads, fields.positiveInt("intermediate_size", 3072), act,
                fields.positiveInt("max_position_embeddings", 512), fields.positiveInt("type_vocab_size", 2),
                fields.positiveDouble("layer_norm_eps", 1e-12), padTokenId,
                fields.positiveDouble("initializer_range", 0.02));
    }

    private static void requireArchitecture(JsonNode architectures) {
        if (architectures == null || architectures.isNull()) {
            return;
        }
        if (!architectures.isArray() || architectures.size() != 1 || !architectures.get(0).isString()
                || !ACCEPTED_ARCHITECTURES.contains(architectures.get(0).stringValue())) {
            throw ConfigFields.invalid("architectures", "architectures must name one BERT checkpoint class ("
                    + String.join(", ", new java.util.TreeSet<>(ACCEPTED_ARCHITECTURES)) + "), found " + architectures);
        }
    }

    private static int nonNegativeInt(ObjectNode raw, String field, int defaultValue) {
        JsonNode node = raw.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw ConfigFields.invalid(field, field + " must be a non-negative integer, found " + node);
        }
        return node.intValue();
    }

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    /** A text model has no image input. */
    @Override
    public int imageSize() {
        return 0;
    }

    /** A text model has no image input. */
    @Override
    public int numChannels() {
        return 0;
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Every tensor of the sequence classifier, under the names of a {@code BertForSequenceClassification}. */
    @Override
    public Map<String, Shape> expectedTensors() {
        Map<String, Shape> t = ModelConfig.layout();
        long d = hiddenSize;
        String e = PREFIX + "embeddings.";
        t.put(e + "word_embeddings.weight", new Shape(vocabSize, d));
        t.put(e + "position_embeddings.weight", new Shape(maxPositionEmbeddings, d));
        t.put(e + "token_type_embeddings.weight", new Shape(typeVocabSize, d));
        t.put(e + "LayerNorm.weight", new Shape(d));
        t.put(e + "LayerNorm.bias", new Shape(d));
        for (int i = 0; i < numHiddenLayers; i++) {
            BertLayerNames n = BertLayerNames.of(i);
            for (String linear : List.of(n.query(), n.key(), n.value(), n.attentionOutput())) {
                t.put(linear + ".weight", new Shape(d, d));
                t.put(linear + ".bias", new Shape(d));
            }
            t.put(n.attentionNorm() + ".weight", new Shape(d));
            t.put(n.attentionNorm() + ".bias", new Shape(d));
            t.put(n.intermediate() + ".weight", new Shape(intermediateSize, d));
            t.put(n.intermediate() + ".bias", new Shape(intermediateSize));
            t.put(n.output() + ".weight", new Shape(d, intermediateSize));
            t.put(n.output() + ".bias", new Shape(d));
            t.put(n.outputNorm() + ".weight", new Shape(d));
            t.put(n.outputNorm() + ".bias", new Shape(d));
        }
        t.put(BertLayerNames.POOLER + ".weight", new Shape(d, d));
        t.put(BertLayerNames.POOLER + ".bias", new Shape(d));
        t.put(BertLayerNames.HEAD + ".weight", new Shape(labels.size(), d));
        t.put(BertLayerNames.HEAD + ".bias", new Shape(labels.size()));
        return Collections.unmodifiableMap(t);
    }

    @Override
    public BertConfig withLabels(List<String> newLabels) {
        return new BertConfig(raw, newLabels, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId,
                initializerRange);
    }
}
