package dev.largo.worker.engine.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFormatException;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import dev.largo.worker.engine.io.TensorInfo;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.DenseLinear;
import dev.largo.worker.engine.model.LinearOp;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Applies a PEFT LoRA adapter zip to a base model holding the ORIGINAL weights. Strict: every key the
 * config implies must be present with its exact shape and no other key may be, so an adapter whose lora_B
 * tensors went missing fails instead of silently doing nothing.
 */
public final class PeftAdapterLoader {

    private PeftAdapterLoader() {
    }

    /**
     * Wraps each targeted linear of {@code model} in a LoRA layer with the adapter's factors and installs the
     * saved head (labels named LABEL_i).
     *
     * @return the adapted modules by path
     * @throws InvalidAdapterException on a missing or unexpected key, a shape mismatch or an unsupported option
     */
    public static Map<String, LoraLinear> apply(Classifier model, Path zip) throws IOException {
        Map<String, byte[]> files = readZip(zip);
        byte[] configBytes = files.get(AdapterKeys.CONFIG_FILE);
        byte[] weightBytes = files.get(AdapterKeys.WEIGHTS_FILE);
        if (configBytes == null || weightBytes == null) {
            throw new InvalidAdapterException("adapter zip must hold " + AdapterKeys.CONFIG_FILE + " and "
                    + AdapterKeys.WEIGHTS_FILE + ", found " + files.keySet()
                    + " (methods without LoRA export only the merged model)");
        }
        AdapterSpec spec = AdapterSpec.parse(configBytes);
        Path temp = Files.createTempFile("adapter", ".safetensors");
        try {
            Files.write(temp, weightBytes);
            SafeTensorsHeader header;
            try {
                header = SafeTensors.readHeader(temp);
            } catch (SafeTensorsFormatException e) {
                throw new InvalidAdapterException(AdapterKeys.WEIGHTS_FILE + " is not valid safetensors: " + e.getMessage());
            }
            Map<String, Shape> expected = expectedKeys(model, spec, header);
            Map<String, Shape> actual = new LinkedHashMap<>();
            for (TensorInfo info : header.tensors().values()) {
                actual.put(info.name(), new Shape(info.shape()));
            }
            verify(expected, actual);
            try (NDManager staging = model.manager().newSubManager()) {
                Map<String, NDArray> tensors = SafeTensors.loadAsNDArrays(temp, staging);
                return install(model, spec, tensors);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Map<String, LoraLinear> install(Classifier model, AdapterSpec spec, Map<String, NDArray> tensors) {
        DataType dtype = model.linears().get(AdapterKeys.HEAD).bias().getDataType();
        Map<String, LoraLinear> adapted = new LinkedHashMap<>();
        for (String path : spec.targets(model)) {
            LinearOp base = model.linears().get(path);
            NDArray a = owned(tensors.get(AdapterKeys.loraA(path)), dtype, model.manager());
            NDArray b = owned(tensors.get(AdapterKeys.loraB(path)), dtype, model.manager());
            LoraLinear lora = new LoraLinear(base.tensors().get("weight"), base.bias(), a, b, null, null,
                    spec.scale(), LoraInit.GAUSSIAN);
            model.setLinear(path, lora);
            adapted.put(path, lora);
        }
        for (String path : spec.savedModules(model)) {
            LinearOp base = model.linears().get(path);
            NDArray w = owned(tensors.get(AdapterKeys.saved(path + ".weight")), dtype, model.manager());
            NDArray b = base.bias() == null ? null
                    : owned(tensors.get(AdapterKeys.saved(path + ".bias")), dtype, model.manager());
            model.setLinear(path, new DenseLinear(w, b));
        }
        if (spec.savesHead()) {
            NDArray w = owned(tensors.get(AdapterKeys.saved(AdapterKeys.HEAD + ".weight")), dtype, model.manager());
            NDArray b = owned(tensors.get(AdapterKeys.saved(AdapterKeys.HEAD + ".bias")), dtype, model.manager());
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < w.getShape().get(0); i++) {
                labels.add("LABEL_" + i);
            }
            model.replaceHead(labels, w, b);
        }
        return adapted;
    }

    private static NDArray owned(NDArray array, DataType dtype, NDManager manager) {
        NDArray typed = array.getDataType() == dtype ? array : array.toType(dtype, false);
        typed.attach(manager);
        return typed;
    }

    private static Map<String, Shape> expectedKeys(Classifier model, AdapterSpec spec, SafeTensorsHeader header) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (String path : spec.targets(model)) {
            LinearOp op = model.linears().get(path);
            expected.put(AdapterKeys.loraA(path), new Shape(spec.r(), op.inFeatures()));
            expected.put(AdapterKeys.loraB(path), new Shape(op.outFeatures(), spec.r()));
        }
        for (String path : spec.savedModules(model)) {
            LinearOp op = model.linears().get(path);
            expected.put(AdapterKeys.saved(path + ".weight"), new Shape(op.outFeatures(), op.inFeatures()));
            if (op.bias() != null) {
                expected.put(AdapterKeys.saved(path + ".bias"), new Shape(op.outFeatures()));
            }
        }
        if (spec.savesHead()) {
            // The head may have any label count; its input width must be the model's.
            LinearOp head = model.linears().get(AdapterKeys.HEAD);
            String weightKey = AdapterKeys.saved(AdapterKeys.HEAD + ".weight");
            long labels = header.contains(weightKey) && header.tensors().get(weightKey).rank() == 2
                    ? header.tensors().get(weightKey).shape()[0] : head.outFeatures();
            expected.put(weightKey, new Shape(labels, head.inFeatures()));
            expected.put(AdapterKeys.saved(AdapterKeys.HEAD + ".bias"), new Shape(labels));
        }
        return expected;
    }

    private static void verify(Map<String, Shape> expected, Map<String, Shape> actual) {
        List<String> problems = new ArrayList<>();
        expected.forEach((key, shape) -> {
            Shape found = actual.get(key);
            if (found == null) {
                problems.add("missing key " + key + " (expected shape " + shape + ")");
            } else if (!found.equals(shape)) {
                problems.add("key " + key + " has shape " + found + ", expected " + shape);
            }
        });
        actual.forEach((key, shape) -> {
            if (!expected.containsKey(key)) {
                problems.add("unexpected key " + key + " with shape " + shape);
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidAdapterException("adapter does not fit the base model: "
                    + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? "; and " + (problems.size() - 8) + " more" : ""));
        }
    }

    private static Map<String, byte[]> readZip(Path zip) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (!entry.isDirectory()) {
                    String name = entry.getName().substring(entry.getName().lastIndexOf('/') + 1);
                    files.put(name, entries.readAllBytes());
                }
            }
        }
        return files;
    }

    /** The parts of adapter_config.json that decide the keys and the scale; unsupported options fail. */
    private record AdapterSpec(int r, double alpha, boolean rslora, List<String> targetList, Pattern targetRegex,
                               List<String> modulesToSave) {

        static AdapterSpec parse(byte[] json) {
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(json);
            } catch (JacksonException e) {
                throw new InvalidAdapterException(AdapterKeys.CONFIG_FILE + " is not valid JSON: " + e.getOriginalMessage());
            }
            if (!"LORA".equals(text(root, "peft_type"))) {
                throw new InvalidAdapterException("peft_type must be LORA, found " + root.get("peft_type"));
            }
            JsonNode r = root.get("r");
            JsonNode alpha = root.get("lora_alpha");
            if (r == null || !r.isIntegralNumber() || r.intValue() < 1) {
                throw new InvalidAdapterException("r must be a positive integer, found " + r);
            }
            if (alpha == null || !alpha.isNumber() || !(alpha.doubleValue() > 0)) {
                throw new InvalidAdapterException("lora_alpha must be a positive number, found " + alpha);
            }
            requireFalse(root, "use_dora");
            requireFalse(root, "fan_in_fan_out");
            requireEmpty(root, "rank_pattern");
            requireEmpty(root, "alpha_pattern");
            String bias = text(root, "bias");
            if (bias != null && !bias.equals("none")) {
                throw new InvalidAdapterException("bias \"" + bias + "\" is not supported (only \"none\")");
            }
            JsonNode targets = root.get("target_modules");
            List<String> targetList = null;
            Pattern targetRegex = null;
            if (targets != null && targets.isString()) {
                targetRegex = Pattern.compile(targets.stringValue());
            } else if (targets != null && targets.isArray() && !targets.isEmpty()) {
                targetList = new ArrayList<>();
                for (JsonNode target : targets) {
                    targetList.add(target.asString());
                }
            } else {
                throw new InvalidAdapterException("target_modules must be a non-empty list or a regex, found " + targets);
            }
            List<String> save = new ArrayList<>();
            JsonNode modules = root.get("modules_to_save");
            if (modules != null && modules.isArray()) {
                for (JsonNode module : modules) {
                    if (module.asString().isBlank()) {
                        throw new InvalidAdapterException("modules_to_save entries must be module names, found " + modules);
                    }
                    save.add(module.asString());
                }
            }
            JsonNode rslora = root.get("use_rslora");
            return new AdapterSpec(r.intValue(), alpha.doubleValue(), rslora != null && rslora.asBoolean(), targetList,
                    targetRegex, save);
        }

        double scale() {
            return rslora ? alpha / Math.sqrt(r) : alpha / r;
        }

        boolean savesHead() {
            return modulesToSave.contains(AdapterKeys.HEAD);
        }

        /**
         * Linear modules other than the head saved whole (GORP's full-rank targets), by PEFT's suffix rule; an
         * entry that selects nothing, or a module that is also a LoRA target, is refused.
         */
        List<String> savedModules(Classifier model) {
            List<String> targets = targets(model);
            List<String> paths = new ArrayList<>();
            for (String module : modulesToSave) {
                if (module.equals(AdapterKeys.HEAD)) {
                    continue;
                }
                List<String> matched = model.linears().keySet().stream()
                        .filter(path -> !path.equals(AdapterKeys.HEAD)
                                && (path.equals(module) || path.endsWith("." + module)))
                        .toList();
                if (matched.isEmpty()) {
                    throw new InvalidAdapterException("modules_to_save entry \"" + module
                            + "\" matches no linear module of this " + model.config().architecture());
                }
                for (String path : matched) {
                    if (targets.contains(path)) {
                        throw new InvalidAdapterException("module " + path + " is both a LoRA target and in modules_to_save");
                    }
                }
                paths.addAll(matched);
            }
            return paths;
        }

        /** PEFT's matching: a regex must match the whole path; a list entry equals the path or a "."-suffix. */
        List<String> targets(Classifier model) {
            List<String> paths = new ArrayList<>();
            for (String path : model.linears().keySet()) {
                if (path.equals(AdapterKeys.HEAD)) {
                    continue;
                }
                boolean match = targetRegex != null ? targetRegex.matcher(path).matches()
                        : targetList.stream().anyMatch(t -> path.equals(t) || path.endsWith("." + t));
                if (match) {
                    paths.add(path);
                }
            }
            if (paths.isEmpty()) {
                throw new InvalidAdapterException("target_modules select no linear module of this "
                        + model.config().architecture());
            }
            return paths;
        }

        private static String text(JsonNode root, String field) {
            JsonNode node = root.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }

        private static void requireFalse(JsonNode root, String field) {
            JsonNode node = root.get(field);
            if (node != null && node.asBoolean()) {
                throw new InvalidAdapterException(field + " = true is not supported");
            }
        }

        private static void requireEmpty(JsonNode root, String field) {
            JsonNode node = root.get(field);
            if (node != null && !node.isNull() && !node.isEmpty()) {
                throw new InvalidAdapterException(field + " is not supported, found " + node);
            }
        }
    }
}
