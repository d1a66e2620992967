package dev.largo.worker.engine.model;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of config.json fields with Hugging Face defaults; every bad value becomes an
 * {@link InvalidModelException} that names the field.
 */
public final class ConfigFields {

    private final JsonNode root;

    public ConfigFields(JsonNode root) {
        this.root = root;
    }

    public boolean has(String field) {
        JsonNode node = root.get(field);
        return node != null && !node.isNull();
    }

    public int positiveInt(String field, int defaultValue) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw invalid(field, field + " must be a positive integer, found " + node);
        }
        return node.intValue();
    }

    /** An int, or a list of two equal ints (HF allows {@code image_size: [h, w]}). */
    public int positiveIntOrSquarePair(String field, int defaultValue) {
        JsonNode node = root.get(field);
        if (node != null && node.isArray()) {
            if (node.size() != 2 || !node.get(0).isIntegralNumber() || !node.get(0).equals(node.get(1))
                    || node.get(0).intValue() <= 0) {
                throw invalid(field, field + " must be a positive integer or a pair of equal ones, found " + node);
            }
            return node.get(0).intValue();
        }
        return positiveInt(field, defaultValue);
    }

    public List<Integer> positiveIntList(String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid(field, field + " must be a non-empty list of positive integers");
        }
        List<Integer> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isIntegralNumber() || !item.canConvertToInt() || item.intValue() <= 0) {
                throw invalid(field, field + " must be a non-empty list of positive integers, found " + node);
            }
            values.add(item.intValue());
        }
        return values;
    }

    /**
     * {@code num_attention_heads} (default 12), which must divide {@code hidden}, the model's
     * {@code hidden_size}: each head takes an equal slice.
     */
    public int attentionHeads(int hidden) {
        return attentionHeads("num_attention_heads", "hidden_size", hidden);
    }

    /** As {@link #attentionHeads(int)}, for a config that names the two fields otherwise (DistilBERT). */
    public int attentionHeads(String headsField, String hiddenField, int hidden) {
        int heads = positiveInt(headsField, 12);
        if (hidden % heads != 0) {
            throw invalid(headsField, hiddenField + " " + hidden + " is not a multiple of " + headsField + " " + heads);
        }
        return heads;
    }

    public double positiveDouble(String field, double defaultValue) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isNumber() || !(node.doubleValue() > 0) || Double.isInfinite(node.doubleValue())) {
            throw invalid(field, field + " must be a positive number, found " + node);
        }
        return node.doubleValue();
    }

    public boolean bool(String field, boolean defaultValue) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw invalid(field, field + " must be true or false, found " + node);
        }
        return node.booleanValue();
    }

    public String string(String field, String defaultValue) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isString()) {
            throw invalid(field, field + " must be a string, found " + node);
        }
        return node.stringValue();
    }

    /**
     * The label names: {@code id2label} keys must be exactly 0..n-1; without it, {@code num_labels} or the HF
     * default of two labels named LABEL_i.
     */
    public List<String> labels() {
        JsonNode id2label = root.get("id2label");
        if (id2label != null && !id2label.isNull()) {
            if (!id2label.isObject() || id2label.isEmpty()) {
                throw invalid("id2label", "id2label must be a non-empty object mapping \"0\".. to label names");
            }
            String[] names = new String[id2label.size()];
            for (String key : id2label.propertyNames()) {
                int index;
                try {
                    index = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    throw invalid("id2label", "id2label key \"" + key + "\" is not an integer");
                }
                if (index < 0 || index >= names.length || names[index] != null) {
                    throw invalid("id2label", "id2label keys must be 0.." + (names.length - 1) + ", found \"" + key + "\"");
                }
                JsonNode name = id2label.get(key);
                names[index] = name.isString() ? name.stringValue() : name.toString();
            }
            if (has("num_labels") && positiveInt("num_labels", 0) != names.length) {
                throw invalid("num_labels", "num_labels is " + positiveInt("num_labels", 0)
                        + " but id2label has " + names.length + " entries");
            }
            return List.of(names);
        }
        int count = positiveInt("num_labels", 2);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("LABEL_" + i);
        }
        return names;
    }

    public static InvalidModelException invalid(String field, String message) {
        return new InvalidModelException("config", field, "config.json: " + message);
    }
}
