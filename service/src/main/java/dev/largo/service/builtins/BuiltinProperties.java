package dev.largo.service.builtins;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code largo.builtins.*}: what the service registers at start. The built-in base models are registered
 * whenever {@code enabled} is true (the text model all-MiniLM-L6-v2 unless {@code text-model} is false); the
 * sample datasets only with {@code sample-datasets}.
 *
 * @param textModel register all-MiniLM-L6-v2, converted from its ONNX export at first start
 * @param cacheDir where the converted all-MiniLM-L6-v2 folder is kept, so only the first start converts it
 */
@ConfigurationProperties(prefix = "largo.builtins")
public record BuiltinProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean sampleDatasets,
        @DefaultValue("true") boolean textModel, @DefaultValue("./data/builtins") Path cacheDir) {
}
