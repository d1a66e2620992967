package dev.largo.worker.engine.model.bert;

import dev.largo.worker.engine.model.ConfigFields;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Hugging Face DistilBERT ({@code model_type: "distilbert"}) as a {@code DistilBertForSequenceClassification},
 * with the transformers defaults: its config.json names the shared hyper-parameters {@code dim}, {@code n_layers},
 * {@code n_heads}, {@code hidden_dim}, {@code activation}; LayerNorm eps is fixed at 1e-12; there are no token
 * types. Sinusoidal position embeddings are refused: transformers keeps them frozen, which full fine-tuning
 * here would not.
 */
public record DistilBertConfig(ObjectNode raw, List<String> labels, int vocabSize, int hiddenSize, int numHiddenLayers,
                               int numAttentionHeads, int intermediateSize, String hiddenAct, int maxPositionEmbeddings,
                               int padTokenId, double initializerRange) implements EncoderConfig {

    public static final String MODEL_TYPE = "distilbert";
    /** transformers' DistilBERT uses {@code nn.LayerNorm(dim, eps=1e-12)} everywhere. */
    private static final double LAYER_NORM_EPS = 1e-12;

    public DistilBertConfig {
        labels = List.copyOf(labels);
    }

    /** Reads a parsed config.json whose {@code model_type} is {@code distilbert}. */
    public static DistilBertConfig from(ObjectNode raw) {
        ConfigFields fields = new ConfigFields(raw);
        if (!MODEL_TYPE.equals(fields.string("model_type", null))) {
            throw ConfigFields.invalid("model_type", "model_type must be \"" + MODEL_TYPE + "\", found "
                    + raw.get("model_type"));
        }
        EncoderConfig.requireCheckpointClass(raw, EncoderFamily.DISTILBERT);
        if (fields.bool("sinusoidal_pos_embds", false)) {
            throw ConfigFields.invalid("sinusoidal_pos_embds", "sinusoidal_pos_embds true is not supported"
                    + " (transformers keeps such position embeddings frozen)");
        }
        int dim = fields.positiveInt("dim", 768);
        int heads = fields.attentionHeads("n_heads", "dim", dim);
        String act = EncoderConfig.activation(fields, "activation");
        int vocab = fields.positiveInt("vocab_size", 30522);
        int padTokenId = EncoderConfig.padTokenId(raw, vocab);
        return new DistilBertConfig(EncoderConfig.asClassifier(raw, EncoderFamily.DISTILBERT), fields.labels(), vocab,
                dim, fields.positiveInt("n_layers", 6), heads, fields.positiveInt("hidden_dim", 3072), act,
                fields.positiveInt("max_position_embeddings", 512), padTokenId,
                fields.positiveDouble("initializer_range", 0.02));
    }

    @Override
    public EncoderFamily family() {
        return EncoderFamily.DISTILBERT;
    }

    @Override
    public int typeVocabSize() {
        return 0;
    }

    @Override
    public double layerNormEps() {
        return LAYER_NORM_EPS;
    }

    @Override
    public DistilBertConfig withLabels(List<String> newLabels) {
        return new DistilBertConfig(raw, newLabels, vocabSize, hiddenSize, numHiddenLayers, numAttentionHeads,
                intermediateSize, hiddenAct, maxPositionEmbeddings, padTokenId, initializerRange);
    }
}
