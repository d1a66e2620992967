package dev.largo.worker.engine.export;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code preprocessor_config.json} of a Hugging Face image classifier: what the engine's {@link ImageBatcher} does
 * to an image, in {@code ViTImageProcessor}'s terms (bilinear resize to the model's size, pixels / 255, then
 * (x - mean) / std per channel), so {@code AutoImageProcessor.from_pretrained} on a downloaded folder feeds the
 * model what it was trained on.
 */
public final class PreprocessorConfig {

    public static final String FILE = "preprocessor_config.json";

    private PreprocessorConfig() {
    }

    /** With the engine's normalisation ({@link ImageBatcher#DEFAULT_MEAN}, {@link ImageBatcher#DEFAULT_STD}). */
    public static String json(ModelConfig config) {
        return json(config, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
    }

    public static String json(ModelConfig config, float[] mean, float[] std) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("image_processor_type", "ViTImageProcessor");
        node.put("do_resize", true);
        ObjectNode size = node.putObject("size");
        size.put("height", config.imageSize());
        size.put("width", config.imageSize());
        node.put("resample", 2); // PIL bilinear
        node.put("do_rescale", true);
        node.put("rescale_factor", 1.0 / 255);
        node.put("do_normalize", true);
        ArrayNode meanNode = node.putArray("image_mean");
        ArrayNode stdNode = node.putArray("image_std");
        for (int c = 0; c < config.numChannels(); c++) {
            meanNode.add(mean[c % mean.length]);
            stdNode.add(std[c % std.length]);
        }
        return Json.PRETTY.writeValueAsString(node);
    }

    public static void write(ModelConfig config, Path directory) throws IOException {
        Files.writeString(directory.resolve(FILE), json(config), StandardCharsets.UTF_8);
    }
}
