package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Fresh weights for a config, following Hugging Face's ViT init: layer norms weight 1 / bias 0, other
 * biases 0, every other tensor (linear and patch weights, CLS token, position embeddings) N(0, 0.02).
 * Seeded per tensor name. Used to pretrain a base model from scratch, in tests and in the benchmark.
 */
public final class ModelInitializer {

    private static final double STD = 0.02;

    private ModelInitializer() {
    }

    public static Map<String, NDArray> randomTensors(ModelConfig config, long seed, DataType dtype, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : config.expectedTensors().entrySet()) {
            tensors.put(entry.getKey(), freshTensor(entry.getKey(), entry.getValue(), seed, STD, dtype, manager));
        }
        return tensors;
    }

    /**
     * One fresh tensor by Hugging Face's rule: a layer norm's weight ("layernorm" or BERT's "LayerNorm" in
     * the name) 1, any bias 0, anything else N(0, std) from a stream named after the tensor.
     */
    public static NDArray freshTensor(String name, Shape shape, long seed, double std, DataType dtype,
                                      NDManager manager) {
        double[] values = new double[Math.toIntExact(shape.size())];
        boolean norm = name.toLowerCase(java.util.Locale.ROOT).contains("layernorm");
        if (norm && name.endsWith(".weight")) {
            java.util.Arrays.fill(values, 1.0);
        } else if (!name.endsWith(".bias")) {
            Random random = Seeds.stream(seed, "init:" + name);
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian() * std;
            }
        }
        return Arrays.create(values, shape, dtype, manager);
    }

    /** An image classifier with fresh weights. */
    public static ImageClassifier randomModel(ModelConfig config, long seed, DataType dtype, NDManager parent) {
        return Classifiers.createImage(config, randomTensors(config, seed, dtype, parent), parent);
    }
}
