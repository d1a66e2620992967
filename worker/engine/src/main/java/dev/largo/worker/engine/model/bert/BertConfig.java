package dev.largo.worker.engine.model.bert;

import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.List;
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
        implements EncoderConfig {

    public static final String MODEL_TYPE = "bert";
    public static final String ARCHITECTURE = "BertForSequenceClassification";
    /** The encoder's prefix in a {@code BertFor...} checkpoint (a bare {@code BertModel} has none). */
    public static final String PREFIX = "bert.";

    public BertConfig {
        labels = List.copyOf(labels);
    }

    /**
     * Parses config.json text.
     *
     * @throws dev.largo.worker.engine.model.InvalidModelException (param {@code config}) naming the field at fault
     */
    public static BertConfig parse(String json) {
        return from(ModelConfig.parseObject(json));
    }

    /** Reads a parsed config.json whose {@code model_type} is {@code bert}. */
    public static BertConfig from(ObjectNode raw) {
        ConfigFields fields = new ConfigFields(raw);
        String modelType = fields.string("model_type", null);
        if (!MODEL_TYPE.equals(modelType)) {
            throw ConfigFields.invalid("model_type", "model_type must be \"" + MODEL_TYPE + "\" or \""
                    + EncoderFamily.DISTILBERT.modelType() + "\", found " + raw.get("model_type"));
        }
        EncoderConfig.requireCheckpointClass(raw, EncoderFamily.BERT);
        int hidden = fields.positiveInt("hidden_size", 768);
        int heads = fields.attentionHeads(hidden);
        String positions = fields.string("position_embedding_type", "absolute");
        if (!positions.equals("absolute")) {
            throw ConfigFields.invalid("position_embedding_type",
                    "position_embedding_type \"" + positions + "\" is not supported (supported: absolute)");
        }
        String act = EncoderConfig.activation(fields, "hidden_act");
        int vocab = fields.positiveInt("vocab_size", 30522);
        int padTokenId = EncoderConfig.padTokenId(raw, vocab);
        return new BertConfig(EncoderConfig.asClassifier(raw, EncoderFamily.BERT), fields.labels(), vocab, hidden,
                fields.positiveInt("num_hidden_layers", 12), heads, fields.positiveInt("intermediate_size", 3072), act,
                fields.positiveInt("max_position_embeddings", 512), fields.positiveInt("type_vocab_size", 2),
                fields.positiveDouble("layer_norm_eps", 1e-12), padTokenId,
                fields.positiveDouble("initializer_range", 0.02));
    }

    @Override
    public EncoderFamily family() {
        return EncoderFamily.BERT;
    }

    @Override
    public BertConfig withLabels(List<String> newLabels) {
        return new BertConfig(raw, newLabels, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, typeVocabSize, layerNormEps, padTokenId,
                initializerRange);
    }
}
