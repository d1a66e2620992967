package dev.largo.worker.engine.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.Classifiers;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small configs and fully random weights (biases and norms included) for numerical tests. */
public final class TinyModels {

    private TinyModels() {
    }

    /** ViT: 6x6x2 images, patch 3 (4 patches + CLS), width 8, 2 heads, 2 blocks, MLP 12, 3 labels. */
    public static ModelConfig vit(double layerNormEps, int labels) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"c").append(i).append('"');
        }
        return ModelConfig.parse("""
                {"model_type":"vit","architectures":["ViTForImageClassification"],"hidden_size":8,
                 "num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":12,"hidden_act":"gelu",
                 "layer_norm_eps":%s,"image_size":6,"patch_size":3,"num_channels":2,"qkv_bias":true,
                 "id2label":{%s}}""".formatted(layerNormEps, id2label));
    }

    /** A trainable grayscale ViT: 8x8x1 images, patch 4 (4 patches + CLS), width 16, 2 heads, 2 blocks, MLP 32. */
    public static ModelConfig grayVit(int labels) {
        return ModelConfig.parse("""
                {"model_type":"vit","hidden_size":16,"num_hidden_layers":2,"num_attention_heads":2,
                 "intermediate_size":32,"image_size":8,"patch_size":4,"num_channels":1,"layer_norm_eps":1e-12,
                 "id2label":{%s}}""".formatted(id2label(labels)));
    }

    private static String id2label(int labels) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"c").append(i).append('"');
        }
        return id2label.toString();
    }

    public static ModelConfig mlp(int labels) {
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"c").append(i).append('"');
        }
        return ModelConfig.parse("""
                {"model_type":"largo_mlp","image_size":4,"num_channels":1,"hidden_sizes":[10,7],
                 "hidden_act":"gelu","id2label":{%s}}""".formatted(id2label));
    }

    /** Every tensor N(0, std) (layer-norm weights 1 + N(0, std)), so no term of the forward pass is trivial. */
    public static Map<String, NDArray> randomTensors(ModelConfig config, long seed, double std, DataType dtype,
                                                     NDManager manager) {
        Random random = new Random(seed);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : config.expectedTensors().entrySet()) {
            double[] values = new double[Math.toIntExact(entry.getValue().size())];
            boolean normWeight = entry.getKey().contains("layernorm") && entry.getKey().endsWith(".weight");
            for (int i = 0; i < values.length; i++) {
                values[i] = (normWeight ? 1 : 0) + random.nextGaussian() * std;
            }
            tensors.put(entry.getKey(), Arrays.create(values, entry.getValue(), dtype, manager));
        }
        return tensors;
    }

    public static ImageClassifier randomModel(ModelConfig config, long seed, double std, DataType dtype,
                                              NDManager manager) {
        return Classifiers.createImage(config, randomTensors(config, seed, std, dtype, manager), manager);
    }

    public static double[] randomDoubles(Random random, int count, double std) {
        double[] values = new double[count];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * std;
        }
        return values;
    }
}
