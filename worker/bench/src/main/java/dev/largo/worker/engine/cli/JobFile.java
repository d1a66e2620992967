package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobJson;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The local CLI's job file: the REST API's job create request (same snake_case fields for {@code method},
 * {@code hyperparameters}, {@code seed}, {@code evaluation_splits[].kind|domain}), with files instead of ids.
 * Relative paths are resolved against the job file's directory.
 *
 * <pre>{@code
 * {
 *   "base_model": {"config": "base/config.json", "weights": "base/model.safetensors", "name": "my-vit"},
 *   "training_dataset": {"path": "train.safetensors"},
 *   "evaluation_splits": [
 *     {"dataset": {"path": "test-clean.safetensors"}, "kind": "id", "domain": "clean"},
 *     {"dataset": {"path": "test.zip", "format": "imagefolder_zip", "split": "rotate"}, "kind": "ood", "domain": "rotate"}
 *   ],
 *   "method": {"type": "largo", "lora": {"r": 8, "alpha": 16}, "largo": {"mu": 0.01}},
 *   "hyperparameters": {"epochs": 3, "batch_size": 64},
 *   "seed": 0,
 *   "reference_epochs": 3
 * }
 * }</pre>
 * {@code base_model} may also be a directory holding config.json and model.safetensors; a dataset may be
 * a plain path string. Dataset objects take {@code path}, {@code format} (imagefolder_zip | safetensors | idx;
 * sniffed when absent), {@code split} (ImageFolder zips), {@code labels} and {@code class_names} (IDX).
 * {@code reference_epochs} (CLI only): 0 skips the base reference (a converged logistic-regression head on the
 * base model's frozen features); any positive value computes it.
 */
final class JobFile {

    private JobFile() {
    }

    static TrainingJob read(Path file) throws IOException, InvalidDatasetException {
        JsonNode root = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        Path base = file.toAbsolutePath().getParent();
        JsonNode model = require(root, "base_model");
        Path configPath;
        Path weightsPath;
        String name;
        if (model.isString()) {
            Path dir = base.resolve(model.stringValue());
            configPath = dir.resolve("config.json");
            weightsPath = dir.resolve("model.safetensors");
            name = dir.getFileName().toString();
        } else {
            configPath = base.resolve(require(model, "config").asString());
            weightsPath = base.resolve(require(model, "weights").asString());
            name = model.has("name") ? model.get("name").asString()
                    : configPath.toAbsolutePath().getParent().getFileName().toString();
        }
        ModelConfig config = ModelConfig.parse(Files.readString(configPath, StandardCharsets.UTF_8));
        ImageDataset train = dataset(require(root, "training_dataset"), base);
        List<EvalSplit> splits = new ArrayList<>();
        for (JsonNode split : root.path("evaluation_splits")) {
            JsonNode dataset = require(split, "dataset");
            SplitKind kind = SplitKind.fromId(require(split, "kind").asString());
            String domain = split.has("domain") ? split.get("domain").asString()
                    : kind == SplitKind.ID ? "in_domain" : "ood";
            splits.add(new EvalSplit(label(dataset), kind, domain, dataset(dataset, base)));
        }
        MethodConfig method = JobJson.method(require(root, "method"));
        Hyperparameters hyper = JobJson.hyperparameters(root.get("hyperparameters"), method.type());
        int referenceEpochs = root.has("reference_epochs") ? root.get("reference_epochs").asInt()
                : TrainingJob.defaultReferenceEpochs(hyper);
        return new TrainingJob(name, config, weightsPath, train, splits, method, hyper, JobJson.seed(root),
                referenceEpochs, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
    }

    private static ImageDataset dataset(JsonNode node, Path base) throws IOException, InvalidDatasetException {
        if (node.isString()) {
            return DatasetFiles.read(base.resolve(node.stringValue()), null, null, null, null);
        }
        Path path = base.resolve(require(node, "path").asString());
        String labels = text(node, "labels");
        List<String> classNames = null;
        if (node.has("class_names")) {
            classNames = new ArrayList<>();
            for (JsonNode className : node.get("class_names")) {
                classNames.add(className.asString());
            }
        }
        return DatasetFiles.read(path, text(node, "format"), text(node, "split"),
                labels == null ? null : base.resolve(labels), classNames);
    }

    private static String label(JsonNode dataset) {
        String path = dataset.isString() ? dataset.stringValue() : dataset.get("path").asString();
        String split = dataset.isString() ? null : text(dataset, "split");
        String file = Path.of(path).getFileName().toString();
        return split == null ? file : file + ":" + split;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static JsonNode require(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("job file: " + field + " is required");
        }
        return value;
    }
}
