package dev.largo.worker.engine.model.vit;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ViTForImageClassification} hyper-parameters, with the Hugging Face defaults for absent fields.
 * Dropout fields are read by nobody: fine-tuning here runs without dropout.
 */
public record VitConfig(ObjectNode raw, List<String> labels, int hiddenSize, int numHiddenLayers,
                        int numAttentionHeads, int intermediateSize, String hiddenAct, double layerNormEps,
                        int imageSize, int patchSize, int numChannels, boolean qkvBias) implements ModelConfig {

    public static final String ARCHITECTURE = "ViTForImageClassification";

    public VitConfig {
        labels = List.copyOf(labels);
    }

    static VitConfig from(ObjectNode raw, ConfigFields fields) {
        ModelConfig.requireArchitecture(raw, ARCHITECTURE);
        int hidden = fields.positiveInt("hidden_size", 768);
        int heads = fields.attentionHeads(hidden);
        int imageSize = fields.positiveIntOrSquarePair("image_size", 224);
        int patchSize = fields.positiveIntOrSquarePair("patch_size", 16);
        if (imageSize % patchSize != 0) {
            throw ConfigFields.invalid("patch_size",
                    "image_size " + imageSize + " is not a multiple of patch_size " + patchSize);
        }
        String act = fields.string("hidden_act", "gelu");
        Activations.require(act);
        return new VitConfig(raw, fields.labels(), hidden, fields.positiveInt("num_hidden_layers", 12), heads,
                fields.positiveInt("intermediate_size", 3072), act, fields.positiveDouble("layer_norm_eps", 1e-12),
                imageSize, patchSize, fields.positiveInt("num_channels", 3), fields.bool("qkv_bias", true));
    }

    @Override
    public String modelType() {
        return VitArchitecture.MODEL_TYPE;
    }

    @Override
    public String architecture() {
        return ARCHITECTURE;
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Patches per image (the sequence is one longer: the CLS token). */
    public int numPatches() {
        int side = imageSize / patchSize;
        return side * side;
    }

    @Override
    public Map<String, Shape> expectedTensors() {
        Map<String, Shape> t = ModelConfig.layout();
        long d = hiddenSize;
        t.put("vit.embeddings.cls_token", new Shape(1, 1, d));
        t.put("vit.embeddings.position_embeddings", new Shape(1, numPatches() + 1, d));
        t.put("vit.embeddings.patch_embeddings.projection.weight", new Shape(d, numChannels, patchSize, patchSize));
        t.put("vit.embeddings.patch_embeddings.projection.bias", new Shape(d));
        for (int i = 0; i < numHiddenLayers; i++) {
            String p = "vit.encoder.layer." + i + ".";
            t.put(p + "layernorm_before.weight", new Shape(d));
            t.put(p + "layernorm_before.bias", new Shape(d));
            for (String qkv : List.of("query", "key", "value")) {
                t.put(p + "attention.attention." + qkv + ".weight", new Shape(d, d));
                if (qkvBias) {
                    t.put(p + "attention.attention." + qkv + ".bias", new Shape(d));
                }
            }
            t.put(p + "attention.output.dense.weight", new Shape(d, d));
            t.put(p + "attention.output.dense.bias", new Shape(d));
            t.put(p + "layernorm_after.weight", new Shape(d));
            t.put(p + "layernorm_after.bias", new Shape(d));
            t.put(p + "intermediate.dense.weight", new Shape(intermediateSize, d));
            t.put(p + "intermediate.dense.bias", new Shape(intermediateSize));
            t.put(p + "output.dense.weight", new Shape(d, intermediateSize));
            t.put(p + "output.dense.bias", new Shape(d));
        }
        t.put("vit.layernorm.weight", new Shape(d));
        t.put("vit.layernorm.bias", new Shape(d));
        t.put("classifier.weight", new Shape(labels.size(), d));
        t.put("classifier.bias", new Shape(labels.size()));
        return Collections.unmodifiableMap(t);
    }

    @Override
    public VitConfig withLabels(List<String> newLabels) {
        return new VitConfig(raw, newLabels, hiddenSize, numHiddenLayers, numAttentionHeads, intermediateSize,
                hiddenAct, layerNormEps, imageSize, patchSize, numChannels, qkvBias);
    }
}
