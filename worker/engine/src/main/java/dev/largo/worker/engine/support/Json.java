package dev.largo.worker.engine.support;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The engine's one JSON mapper (Jackson 3): configs, job files, checkpoint metadata, metrics lines. */
public final class Json {

    /** Compact output (one JSON document per line, for metrics.jsonl). */
    public static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Indented output for files people read (config.json, adapter_config.json, evaluation.json). */
    public static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** snake_case property names for records written to files people and the REST layer read. */
    public static final JsonMapper SNAKE = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /** snake_case, one document per line (metrics.jsonl). */
    public static final JsonMapper SNAKE_LINE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private Json() {
    }
}
