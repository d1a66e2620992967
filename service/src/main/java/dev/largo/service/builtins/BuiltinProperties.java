package dev.largo.service.builtins;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code largo.builtins.*}: what the service registers at start. The built-in base model is registered
 * whenever {@code enabled} is true; the quick start's sample datasets only with {@code sample-datasets}.
 */
@ConfigurationProperties(prefix = "largo.builtins")
public record BuiltinProperties(@DefaultValue("true") boolean enabled, @DefaultValue("true") boolean sampleDatasets) {
}
