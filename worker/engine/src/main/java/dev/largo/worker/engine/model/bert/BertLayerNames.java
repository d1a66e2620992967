package dev.largo.worker.engine.model.bert;

import java.util.List;

/**
 * One encoder layer's module paths, resolved once ({@link EncoderFamily#layer}): attention projections, the
 * attention output and its LayerNorm, the feed-forward pair and its LayerNorm.
 */
record BertLayerNames(String query, String key, String value, String attentionOutput, String attentionNorm,
                      String intermediate, String output, String outputNorm) {

    /** The layer's linear modules, in forward order. */
    List<String> linears() {
        return List.of(query, key, value, attentionOutput, intermediate, output);
    }
}
