package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.TokenBatch;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A tiny BERT (vocab 20, width 8, 2 heads, 2 layers, intermediate 12, 16 positions) with random weights. */
final class TinyBert {

    static final long PAD = 0;

    private TinyBert() {
    }

    static BertConfig config(int labels) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"c").append(i).append('"');
        }
        return BertConfig.parse("""
                {"model_type":"bert","architectures":["BertForSequenceClassification"],"vocab_size":20,
                 "hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":12,
                 "max_position_embeddings":16,"type_vocab_size":2,"layer_norm_eps":1e-5,"pad_token_id":0,
                 "id2label":{%s}}""".formatted(id2label));
    }

    /**
     * Every tensor of the sequence classifier under its model name, N(0, std) (LayerNorm weights 1 + N(0, std)),
     * so no term of the forward pass is trivial.
     */
    static Map<String, double[]> randomValues(EncoderConfig config, long seed, double std) {
        Random random = new Random(seed);
        Map<String, double[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : config.expectedTensors().entrySet()) {
            double[] v = new double[Math.toIntExact(entry.getValue().size())];
            String lower = entry.getKey().toLowerCase(java.util.Locale.ROOT);
            boolean normWeight = (lower.contains("layernorm") || lower.contains("layer_norm")) && entry.getKey().endsWith(".weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = (normWeight ? 1 : 0) + random.nextGaussian() * std;
            }
            values.put(entry.getKey(), v);
        }
        return values;
    }

    static Map<String, NDArray> arrays(EncoderConfig config, Map<String, double[]> values, DataType dtype,
                                       NDManager manager) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        values.forEach((name, v) -> arrays.put(name, Arrays.create(v, config.expectedTensors().get(name), dtype, manager)));
        return arrays;
    }

    static BertClassifier model(EncoderConfig config, Map<String, double[]> values, DataType dtype, NDManager manager) {
        return BertModels.create(config, arrays(config, values, dtype, manager), 1, manager);
    }

    /** Three rows of 5, 3 and 6 tokens (ids 1..19, never the pad id), mixed token types. */
    static long[][] ids() {
        return new long[][] {{2, 7, 9, 4, 3}, {2, 11, 3}, {2, 5, 6, 19, 8, 3}};
    }

    static long[][] typeIds() {
        return new long[][] {{0, 0, 0, 1, 1}, {0, 0, 0}, {0, 1, 1, 1, 1, 1}};
    }

    static TokenBatch batch(NDManager manager, int... rows) {
        return TokenBatch.pad(ids(), typeIds(), rows, PAD, manager);
    }
}
