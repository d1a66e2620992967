package dev.largo.worker.engine.model.bert;

import java.util.List;

/**
 * Hugging Face module paths of a {@code BertForSequenceClassification}: one encoder layer's modules, resolved
 * once, plus the pooler and the head.
 */
record BertLayerNames(String query, String key, String value, String attentionOutput, String attentionNorm,
                      String intermediate, String output, String outputNorm) {

    static final String POOLER = BertConfig.PREFIX + "pooler.dense";
    static final String HEAD = "classifier";

    static BertLayerNames of(int layer) {
        String p = BertConfig.PREFIX + "encoder.layer." + layer + ".";
        return new BertLayerNames(p + "attention.self.query", p + "attention.self.key", p + "attention.self.value",
                p + "attention.output.dense", p + "attention.output.LayerNorm", p + "intermediate.dense",
                p + "output.dense", p + "output.LayerNorm");
    }

    /** The layer's linear modules, in forward order. */
    List<String> linears() {
        return List.of(query, key, value, attentionOutput, intermediate, output);
    }
}
