package dev.largo.service.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.types.Shape;

import dev.largo.worker.engine.model.ModelConfig;

/** A tiny but complete base model: a ViT config.json and a model.safetensors with every tensor it implies. */
public final class ModelFiles {

    /** 8x8 single-channel images, patch 4, width 8, 2 heads, 1 block, 3 labels. */
    public static final String TINY_VIT_CONFIG = """
            {"model_type": "vit", "architectures": ["ViTForImageClassification"], "hidden_size": 8,
             "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 12, "hidden_act": "gelu",
             "layer_norm_eps": 1e-12, "image_size": 8, "patch_size": 4, "num_channels": 1, "qkv_bias": true,
             "id2label": {"0": "zero", "1": "one", "2": "two"}, "_name_or_path": "tiny-vit"}""";

    private ModelFiles() {
    }

    public static byte[] weightsFor(String configJson) {
        return weightsFor(configJson, UnaryOperator.identity());
    }

    /** F32 zeros for every tensor of the config; {@code reshape} may change a tensor's shape to break the file. */
    public static byte[] weightsFor(String configJson, UnaryOperator<Map<String, Shape>> reshape) {
        Map<String, Shape> tensors = reshape.apply(new java.util.LinkedHashMap<>(ModelConfig.parse(configJson).expectedTensors()));
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Shape> tensor : tensors.entrySet()) {
            long bytes = tensor.getValue().size() * 4;
            if (header.length() > 1) {
                header.append(',');
            }
            header.append('"').append(tensor.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(java.util.Arrays.toString(tensor.getValue().getShape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.writeBytes(new byte[(int) offset]);
        return out.toByteArray();
    }
}
