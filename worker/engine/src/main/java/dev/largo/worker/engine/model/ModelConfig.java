package dev.largo.worker.engine.model;

import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.support.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parsed Hugging Face style {@code config.json} of a supported classifier (each {@link Architecture} has its
 * own; text models: BertConfig). It knows the exact tensor names and shapes the weights file must hold, and writes itself back with the
 * original fields kept.
 */
public interface ModelConfig {

    String modelType();

    String architecture();

    List<String> labels();

    int imageSize();

    int numChannels();

    /** The config.json as it was read; unknown fields survive a round trip. */
    ObjectNode raw();

    default int numLabels() {
        return labels().size();
    }

    /** Every tensor the weights file must contain, in canonical order, with its shape. */
    Map<String, Shape> expectedTensors();

    /** The same model with another task head. */
    ModelConfig withLabels(List<String> labels);

    /** config.json text: the original fields, with {@code id2label}/{@code label2id} rewritten for the labels. */
    default String toJson() {
        ObjectNode out = raw().deepCopy();
        out.remove("num_labels");
        ObjectNode id2label = out.putObject("id2label");
        ObjectNode label2id = out.putObject("label2id");
        List<String> labels = labels();
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        if (!out.has("architectures")) {
            out.putArray("architectures").add(architecture());
        }
        out.put("model_type", modelType());
        return Json.PRETTY.writeValueAsString(out);
    }

    /** Total number of scalars in {@link #expectedTensors()}. */
    default long parameterCount() {
        long total = 0;
        for (Shape shape : expectedTensors().values()) {
            total += shape.size();
        }
        return total;
    }

    /**
     * Parses config.json text.
     *
     * @throws InvalidModelException (param {@code config}) for malformed JSON, an unknown model type or
     *     architecture, or a field out of range
     */
    static ModelConfig parse(String json) {
        ObjectNode object = parseObject(json);
        ConfigFields fields = new ConfigFields(object);
        String modelType = fields.string("model_type", null);
        if (modelType == null) {
            throw ConfigFields.invalid("model_type", "model_type is missing (supported: " + ModelRegistry.supported() + ")");
        }
        Architecture architecture = ModelRegistry.find(modelType).orElseThrow(() -> ConfigFields.invalid("model_type",
                "model_type \"" + modelType + "\" is not supported (supported: " + ModelRegistry.supported() + ")"));
        return architecture.parse(object, fields);
    }

    /**
     * config.json text as a JSON object.
     *
     * @throws InvalidModelException (param {@code config}) for malformed JSON or another JSON value
     */
    static ObjectNode parseObject(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidModelException("config", "config.json is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelException("config", "config.json must be a JSON object");
        }
        return (ObjectNode) root;
    }

    /** Checks {@code architectures} (when present) names the expected class. */
    static void requireArchitecture(ObjectNode raw, String expected) {
        JsonNode architectures = raw.get("architectures");
        if (architectures == null || architectures.isNull()) {
            return;
        }
        if (!architectures.isArray() || architectures.size() != 1 || !architectures.get(0).isString()
                || !architectures.get(0).stringValue().equals(expected)) {
            throw ConfigFields.invalid("architectures",
                    "architectures must be [\"" + expected + "\"] for this model_type, found " + architectures);
        }
    }

    /** Helper for implementations: an insertion-ordered tensor layout. */
    static Map<String, Shape> layout() {
        return new LinkedHashMap<>();
    }
}
