package dev.largo.worker.engine.model.mlp;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * This project's small MLP image classifier ({@code model_type: "largo_mlp"}): the image flattened in C, H, W
 * order, then {@code hidden_sizes.length} dense layers with {@code hidden_act}, then {@code classifier}.
 * Tensors {@code mlp.layers.{i}.dense.{weight,bias}} keep the HF naming style so {@code target_modules:
 * ["dense"]} selects them.
 */
public record MlpConfig(ObjectNode raw, List<String> labels, int imageSize, int numChannels,
                        List<Integer> hiddenSizes, String hiddenAct) implements ModelConfig {

    public static final String ARCHITECTURE = "MlpForImageClassification";

    public MlpConfig {
        labels = List.copyOf(labels);
        hiddenSizes = List.copyOf(hiddenSizes);
    }

    static MlpConfig from(ObjectNode raw, ConfigFields fields) {
        ModelConfig.requireArchitecture(raw, ARCHITECTURE);
        String act = fields.string("hidden_act", "gelu");
        Activations.require(act);
        if (!fields.has("image_size")) {
            throw ConfigFields.invalid("image_size", "image_size is required for " + MlpArchitecture.MODEL_TYPE);
        }
        return new MlpConfig(raw, fields.labels(), fields.positiveIntOrSquarePair("image_size", 0),
                fields.positiveInt("num_channels", 3), fields.positiveIntList("hidden_sizes"), act);
    }

    @Override
    public String modelType() {
        return MlpArchitecture.MODEL_TYPE;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    public int inputSize() {
        return numChannels * imageSize * imageSize;
    }

    @Override
    public Map<String, Shape> expectedTensors() {
        Map<String, Shape> t = ModelConfig.layout();
        long in = inputSize();
        for (int i = 0; i < hiddenSizes.size(); i++) {
            long out = hiddenSizes.get(i);
            t.put("mlp.layers." + i + ".dense.weight", new Shape(out, in));
            t.put("mlp.layers." + i + ".dense.bias", new Shape(out));
            in = out;
        }
        t.put("classifier.weight", new Shape(labels.size(), in));
        t.put("classifier.bias", new Shape(labels.size()));
        return Collections.unmodifiableMap(t);
    }

    @Override
    public MlpConfig withLabels(List<String> newLabels) {
        return new MlpConfig(raw, newLabels, imageSize, numChannels, hiddenSizes, hiddenAct);
    }
}
