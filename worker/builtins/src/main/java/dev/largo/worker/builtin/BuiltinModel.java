package dev.largo.worker.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A base model shipped on the classpath: Hugging Face style {@code config.json} and {@code model.safetensors}
 * under {@code builtin/<id>/}, with {@code SHA256SUMS} beside them.
 *
 * @param id the base model id the service registers it under (e.g. {@code vit-tiny-fashion})
 * @param description one line for people
 */
public record BuiltinModel(String id, String description) {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";

    /** Classpath directory of the model's files (no leading slash, trailing slash). */
    public String directory() {
        return BuiltinAssets.ROOT + id + "/";
    }

    public String configResource() {
        return directory() + CONFIG;
    }

    public String weightsResource() {
        return directory() + WEIGHTS;
    }

    /** The caller closes the stream. */
    public InputStream openConfig() throws IOException {
        return BuiltinAssets.open(configResource());
    }

    /** The caller closes the stream. */
    public InputStream openWeights() throws IOException {
        return BuiltinAssets.open(weightsResource());
    }

    public String configJson() throws IOException {
        try (InputStream in = openConfig()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public String configSha256() {
        return BuiltinAssets.checksum(directory(), CONFIG);
    }

    public String weightsSha256() {
        return BuiltinAssets.checksum(directory(), WEIGHTS);
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} into {@code directory} (created if needed), for
     * loaders that take paths; returns {@code directory}.
     */
    public Path copyTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        BuiltinAssets.copy(configResource(), directory.resolve(CONFIG));
        BuiltinAssets.copy(weightsResource(), directory.resolve(WEIGHTS));
        return directory;
    }
}
