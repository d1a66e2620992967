package dev.largo.worker.engine.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.LinearOp;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.peft.PeftLora;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the PEFT LoRA adapter zip a user downloads: {@code adapter_config.json}, {@code
 * adapter_model.safetensors} and a README. The adapter applies to the ORIGINAL base weights W0:
 * for SVD inits (W_res = W0 - B0 A0) the update s (B A - B0 A0), of rank at most 2r, is exported as a rank-2r
 * LoRA with {@code lora_alpha = s * 2r} whose factors come from the update's own SVD (see
 * {@link LoraLinear#peftFactors}): PEFT's conversion pair [A; A0], [B, -B0] would lose the update in half
 * precision. The new task head goes under {@code modules_to_save}.
 * Methods without adapters (full, ftp, linear_probe) get a zip with only a README: their result is the
 * merged model. Any module that is a {@link PeftLora} exports its {@link PeftLora#peftFactors} (GORP's expanding
 * LoRA: its frozen and current pairs stacked into one pair of the summed rank); modules named in
 * {@code savedModules} (GORP's full-rank targets) are saved whole under {@code modules_to_save}, as the head is.
 */
public final class PeftExporter {

    /** What was exported. */
    public record ExportedAdapter(boolean hasAdapter, int rank, double loraAlpha, List<String> targetModules) {
    }

    private PeftExporter() {
    }

    /**
     * @param targetModules the job's {@code lora.target_modules} (written to adapter_config.json as given)
     * @param baseModelName {@code base_model_name_or_path}
     * @param method the method type, for the README
     */
    public static ExportedAdapter export(Classifier model, List<String> targetModules, String baseModelName,
                                         String method, Path zip) throws IOException {
        return export(model, targetModules, List.of(), baseModelName, method, zip);
    }

    /**
     * As {@link #export(Classifier, List, String, String, Path)}, with {@code savedModules} (module-name
     * suffixes of linear modules trained at full rank) saved whole next to the head.
     */
    public static ExportedAdapter export(Classifier model, List<String> targetModules, List<String> savedModules,
                                         String baseModelName, String method, Path zip) throws IOException {
        Map<String, PeftLora> layers = new LinkedHashMap<>();
        for (Map.Entry<String, LinearOp> entry : model.linears().entrySet()) {
            if (entry.getValue() instanceof PeftLora lora) {
                layers.put(entry.getKey(), lora);
            }
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        ExportedAdapter exported;
        if (layers.isEmpty()) {
            exported = new ExportedAdapter(false, 0, 0, List.of());
            entries.put(AdapterKeys.README_FILE, noAdapterReadme(model, baseModelName, method));
        } else {
            PeftLora first = layers.values().iterator().next();
            for (Map.Entry<String, PeftLora> entry : layers.entrySet()) {
                if (entry.getValue().peftRank() != first.peftRank() || entry.getValue().scale() != first.scale()) {
                    throw new IllegalStateException("module " + entry.getKey() + " has another rank or scale"
                            + " than the others; one adapter_config.json cannot describe it");
                }
            }
            int rank = first.peftRank();
            double alpha = (double) first.scale() * rank;
            List<String> saved = savedModulePaths(model, savedModules);
            exported = new ExportedAdapter(true, rank, alpha, List.copyOf(targetModules));
            entries.put(AdapterKeys.CONFIG_FILE, adapterConfig(rank, alpha, targetModules, savedModules, baseModelName));
            entries.put(AdapterKeys.WEIGHTS_FILE, adapterWeights(model, layers, saved));
            entries.put(AdapterKeys.README_FILE, adapterReadme(model, baseModelName, method, first, rank, alpha,
                    savedModules));
        }
        writeZip(zip, entries);
        return exported;
    }

    /** The linear modules {@code savedModules} selects (PEFT's suffix rule); fails when an entry selects none. */
    private static List<String> savedModulePaths(Classifier model, List<String> savedModules) {
        List<String> paths = new java.util.ArrayList<>();
        for (String module : savedModules) {
            List<String> matched = model.linears().keySet().stream()
                    .filter(path -> !path.equals(AdapterKeys.HEAD) && (path.equals(module) || path.endsWith("." + module)))
                    .toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException("saved module \"" + module + "\" matches no linear module");
            }
            for (String path : matched) {
                if (model.linears().get(path) instanceof PeftLora) {
                    throw new IllegalArgumentException("module " + path + " is both a LoRA target and saved whole");
                }
                paths.add(path);
            }
        }
        return paths;
    }

    private static byte[] adapterWeights(Classifier model, Map<String, PeftLora> layers, List<String> saved) {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        try (NDManager scratch = model.manager().newSubManager()) {
            for (Map.Entry<String, PeftLora> entry : layers.entrySet()) {
                NDArray[] factors = entry.getValue().peftFactors(scratch);
                tensors.put(AdapterKeys.loraA(entry.getKey()), float32(factors[0]));
                tensors.put(AdapterKeys.loraB(entry.getKey()), float32(factors[1]));
            }
            List<String> whole = new java.util.ArrayList<>(saved);
            whole.add(AdapterKeys.HEAD);
            for (String path : whole) {
                for (Map.Entry<String, NDArray> entry : model.linears().get(path).tensors().entrySet()) {
                    tensors.put(AdapterKeys.saved(path + "." + entry.getKey()),
                            float32(Arrays.copyOn(entry.getValue(), scratch)));
                }
            }
        }
        return SafeTensors.serialize(tensors, Map.of("format", "pt"));
    }

    private static TensorData float32(NDArray array) {
        return TensorData.of(array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false));
    }

    private static byte[] adapterConfig(int rank, double alpha, List<String> targetModules, List<String> savedModules,
                                        String baseModelName) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("peft_type", "LORA");
        config.putNull("task_type");
        config.put("base_model_name_or_path", baseModelName);
        config.put("r", rank);
        config.put("lora_alpha", alpha);
        config.put("lora_dropout", 0.0);
        var targets = config.putArray("target_modules");
        targetModules.forEach(targets::add);
        var modulesToSave = config.putArray("modules_to_save");
        modulesToSave.add(AdapterKeys.HEAD);
        savedModules.forEach(modulesToSave::add);
        config.put("bias", "none");
        config.put("fan_in_fan_out", false);
        config.put("init_lora_weights", true);
        config.put("use_rslora", false);
        config.put("use_dora", false);
        config.putObject("rank_pattern");
        config.putObject("alpha_pattern");
        config.put("inference_mode", true);
        return Json.PRETTY.writeValueAsString(config).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] adapterReadme(Classifier model, String baseModelName, String method, PeftLora layer,
                                        int rank, double alpha, List<String> savedModules) {
        String conversion = !(layer instanceof LoraLinear first) ? "Every LoRA pair trained so far (one per task,"
                + " each scaled by " + layer.scale() + ") is stacked into one pair of rank " + rank + ", A' = [A_1; ...;"
                + " A_t] and B' = [B_1, ..., B_t], with lora_alpha = " + alpha + " (B' A' = sum_j B_j A_j)."
                + (savedModules.isEmpty() ? "" : " The modules trained at full rank (" + String.join(", ", savedModules)
                + ") are saved whole under `modules_to_save`, so the adapter holds the whole model state.")
                : first.init().isSvd()
                ? "It was trained from the `" + first.init().id() + "` init (rank " + first.rank() + ", scale 1), which"
                + " moves B0 A0 out of the frozen weight. It is exported relative to the original base weights as a rank-"
                + rank + " LoRA with lora_alpha = " + alpha + ", so it applies to the unmodified base model: the"
                + " update B A - B0 A0 re-factored by its SVD (B' = U sqrt(S), A' = sqrt(S) V^T), which keeps it"
                + " to the format's precision in fp16 and bf16, where PEFT's conversion pair [A; A0], [B, -B0] would not."
                : "It was trained from the `gaussian` init (rank " + first.rank() + ", scale " + first.scale() + ").";
        String saved = savedModules.isEmpty() ? "" : " and " + String.join(", ", savedModules);
        return ("""
                # LoRA adapter (%s)

                Base model: `%s`. %s

                The task head is under `modules_to_save` (`classifier`%s) with %d labels: %s.
                Load the base model with `num_labels=%d, ignore_mismatched_sizes=True` when its head has another
                label count, then `PeftModel.from_pretrained(model, <this folder>)`.
                """).formatted(method, baseModelName, conversion, saved, model.config().numLabels(),
                String.join(", ", model.config().labels()), model.config().numLabels()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] noAdapterReadme(Classifier model, String baseModelName, String method) {
        return ("""
                # No LoRA adapter (%s)

                The `%s` method trains the model's own weights, not a low-rank adapter, so there is no
                `adapter_config.json` here. Download the merged model instead: `model.safetensors` and
                `config.json` of a complete model fine-tuned from `%s` with %d labels: %s.
                """).formatted(method, method, baseModelName, model.config().numLabels(),
                String.join(", ", model.config().labels())).getBytes(StandardCharsets.UTF_8);
    }

    /** A zip with fixed entry times, so the same adapter gives the same bytes; written atomically. */
    private static void writeZip(Path zip, Map<String, byte[]> entries) throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".adapter", ".zip.tmp");
        try {
            try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    ZipEntry zipEntry = new ZipEntry(entry.getKey());
                    zipEntry.setTime(315532800000L + 12 * 3600 * 1000L);
                    out.putNextEntry(zipEntry);
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            Files.move(temp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
