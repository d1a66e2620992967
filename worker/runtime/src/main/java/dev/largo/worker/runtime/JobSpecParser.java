package dev.largo.worker.runtime;

import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.support.InvalidSettingException;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobJson;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
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

    private JobSpecParser() {
    }

    /** @throws InvalidJobException ({@code invalid_spec}) naming the field at fault */
    public static JobSpec parse(String specJson) {
        JsonNode root = root(specJson);
        MethodConfig method = engine("method", () -> JobJson.method(root.get("method")));
        Hyperparameters hyperparameters = engine("hyperparameters",
                () -> JobJson.hyperparameters(root.get("hyperparameters"), method.type()));
        return new JobSpec(evaluationSplits(root.get("evaluation_splits")), method, hyperparameters);
    }

    /** Whether the spec is a continual job's (it names {@code tasks}). */
    public static boolean isContinual(String specJson) {
        JsonNode tasks = root(specJson).get("tasks");
        return tasks != null && !tasks.isNull();
    }

    /**
     * Reads a continual job's spec: its tasks, the continual method (with {@code method.gorp} for gorp) and the
     * hyperparameters of each task.
     *
     * @throws InvalidJobException ({@code invalid_spec}) naming the field at fault
     */
    public static ContinualSpec parseContinual(String specJson) {
        JsonNode root = root(specJson);
        JsonNode methodNode = root.get("method");
        String type = methodNode == null ? null : methodNode.path("type").asString(null);
        ContinualMethod method = engine("method.type", () -> ContinualMethod.fromId(type));
        GorpConfig gorp = method == ContinualMethod.GORP ? engine("method.gorp", () -> gorp(methodNode.get("gorp"))) : null;
        MethodType defaults = method.singleTaskType() != null ? method.singleTaskType() : MethodType.LORA;
        Hyperparameters hyperparameters = engine("hyperparameters",
                () -> JobJson.hyperparameters(root.get("hyperparameters"), defaults));
        JsonNode node = root.get("tasks");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("tasks", "tasks must be a non-empty array");
        }
        List<ContinualSpec.Task> tasks = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "tasks[" + i + "]";
            JsonNode task = node.get(i);
            if (!task.isObject()) {
                throw invalid(path, path + " must be an object {name, training_dataset, evaluation_splits}");
            }
            tasks.add(new ContinualSpec.Task(text(task, "name", path + ".name", true),
                    uuid(text(task, "training_dataset", path + ".training_dataset", true), path + ".training_dataset"),
                    evaluationSplits(task.get("evaluation_splits"), path + ".evaluation_splits")));
        }
        return new ContinualSpec(tasks, method, gorp, hyperparameters);
    }

    /** {@code method.gorp} as the service stores it (every field filled in); an absent field takes the default of worker/engine/docs/gorp.md. */
    private static GorpConfig gorp(JsonNode node) {
        GorpConfig d = GorpConfig.DEFAULT;
        if (node == null || node.isNull()) {
            return d;
        }
        JsonNode lr = node.get("full_rank_learning_rate");
        return new GorpConfig(node.path("rank").asInt(d.rank()), node.path("alpha").asDouble(d.alpha()),
                strings(node.get("lora_targets"), d.loraTargets()), strings(node.get("full_rank_targets"), d.fullRankTargets()),
                node.path("galore_rank").asInt(d.galoreRank()), node.path("refresh_steps").asInt(d.refreshSteps()),
                node.path("galore_scale").asDouble(d.galoreScale()),
                node.path("energy_threshold").asDouble(d.energyThreshold()),
                lr == null || lr.isNull() ? d.fullRankLearningRate() : Double.valueOf(lr.asDouble()));
    }

    private static List<String> strings(JsonNode node, List<String> fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        List<String> values = new ArrayList<>();
        node.forEach(value -> values.add(value.asString()));
        return values;
    }

    private static JsonNode root(String specJson) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(specJson);
        } catch (JacksonException e) {
            throw invalid(null, "the job spec is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid(null, "the job spec must be a JSON object");
        }
        return root;
    }

    private static UUID uuid(String value, String path) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw invalid(path, path + " must be a dataset id (a UUID), found \"" + value + "\"");
        }
    }

    private static List<JobSpec.EvaluationSplit> evaluationSplits(JsonNode node) {
        return evaluationSplits(node, "evaluation_splits");
    }

    private static List<JobSpec.EvaluationSplit> evaluationSplits(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field, field + " must be an array");
        }
        List<JobSpec.EvaluationSplit> splits = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = field + "[" + i + "]";
            JsonNode split = node.get(i);
            if (!split.isObject()) {
                throw invalid(path, path + " must be an object {dataset, kind, domain}");
            }
            String dataset = text(split, "dataset", path + ".dataset", true);
            String kind = text(split, "kind", path + ".kind", true);
            UUID datasetId = uuid(dataset, path + ".dataset");
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

    /**
     * Runs engine parsing: a refused setting names its own field ({@link InvalidSettingException}); any other
     * refusal (an unknown enum value) is about {@code section}.
     */
    private static <T> T engine(String section, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw invalidSpec(e, section);
        }
    }

    /** An engine refusal as {@code invalid_spec}: the setting it names, else {@code section}. */
    static InvalidJobException invalidSpec(IllegalArgumentException e, String section) {
        String param = e instanceof InvalidSettingException setting ? setting.param() : section;
        return new InvalidJobException(InvalidJobException.INVALID_SPEC, param, e.getMessage(), e);
    }

    private static InvalidJobException invalid(String param, String message) {
        return new InvalidJobException(InvalidJobException.INVALID_SPEC, param, message);
    }
}
