package dev.largo.worker.runtime;

import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobJson;
import dev.largo.worker.engine.train.MethodConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a job's {@code jobs.spec} (the create request in the REST contract's snake_case JSON, stored by the
 * service with every default filled in) into a {@link JobSpec}. {@code method} and {@code hyperparameters}
 * are read by the engine's {@link JobJson}, as the local CLI reads them, so a field that is absent still gets
 * the engine's default; this class adds the evaluation splits (dataset ids here, files in the CLI) and turns
 * every refusal into {@code invalid_spec} naming the field.
 */
public final class JobSpecParser {

    /** The JSON path an engine message starts with ("hyperparameters.batch_size must be ..."). */
    private static final Pattern LEADING_PATH = Pattern.compile("^((?:method|hyperparameters|lora)(?:\\.[a-z_]+)*)\\b");

    private JobSpecParser() {
    }

    /** @throws InvalidJobException ({@code invalid_spec}) naming the field at fault */
    public static JobSpec parse(String specJson) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(specJson);
        } catch (JacksonException e) {
            throw invalid(null, "the job spec is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(null, "the job spec must be a JSON object");
        }
        MethodConfig method = engine("method", () -> JobJson.method(root.get("method")));
        Hyperparameters hyperparameters = engine("hyperparameters",
                () -> JobJson.hyperparameters(root.get("hyperparameters"), method.type()));
        return new JobSpec(evaluationSplits(root.get("evaluation_splits")), method, hyperparameters);
    }

    private static List<JobSpec.EvaluationSplit> evaluationSplits(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("evaluation_splits", "evaluation_splits must be an array");
        }
        List<JobSpec.EvaluationSplit> splits = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "evaluation_splits[" + i + "]";
            JsonNode split = node.get(i);
            if (!split.isObject()) {
                throw invalid(path, path + " must be an object {dataset, kind, domain}");
            }
            String dataset = text(split, "dataset", path + ".dataset", true);
            String kind = text(split, "kind", path + ".kind", true);
            UUID datasetId;
            try {
                datasetId = UUID.fromString(dataset);
            } catch (IllegalArgumentException e) {
                throw invalid(path + ".dataset", path + ".dataset must be a dataset id (a UUID), found \"" + dataset
                        + "\"");
            }
            SplitKind splitKind = engine(path + ".kind", () -> SplitKind.fromId(kind));
            splits.add(new JobSpec.EvaluationSplit(datasetId, splitKind, text(split, "domain", path + ".domain", false)));
        }
        return splits;
    }

    private static String text(JsonNode parent, String field, String path, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw invalid(path, path + " is required");
            }
            return null;
        }
        if (!node.isString()) {
            throw invalid(path, path + " must be a string, found " + node);
        }
        return node.stringValue();
    }

    /** Runs engine parsing, whose messages start with the JSON path at fault when they know it. */
    private static <T> T engine(String section, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            Matcher path = LEADING_PATH.matcher(message == null ? "" : message);
            String param = section;
            if (path.find()) {
                param = path.group(1).startsWith("lora.") ? "method." + path.group(1) : path.group(1);
            }
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, param, message, e);
        }
    }

    private static InvalidJobException invalid(String param, String message) {
        return new InvalidJobException(InvalidJobException.INVALID_SPEC, param, message);
    }
}
