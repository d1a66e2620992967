package dev.largo.worker.engine.frontier;

import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.TensorData;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The downloads of a fine-tuned model at a WiSE-FT weight alpha, written from the job's stored exports without
 * libtorch:
 * <ul>
 *   <li>{@link #adapterAt}: the PEFT LoRA zip with {@code lora_alpha} multiplied by alpha (PEFT applies
 *       {@code W0 + lora_alpha / r * B A}, so the update is exactly alpha times the fine-tuned one) and the head
 *       under {@code modules_to_save} interpolated from its initial value;</li>
 *   <li>{@link #mergedAt}: the merged model folder (zip) with every tensor at theta(alpha)
 *       ({@link WeightInterpolation}): the form for methods without an adapter (full, ftp, linear_probe).</li>
 * </ul>
 * Both equal the model the frontier evaluated at that alpha (a test checks the logits).
 */
public final class InterpolatedExports {

    static final String ADAPTER_CONFIG = "adapter_config.json";
    static final String ADAPTER_WEIGHTS = "adapter_model.safetensors";
    static final String MERGED_WEIGHTS = "model.safetensors";
    /** PEFT's key prefix for tensors of the wrapped model (the head under modules_to_save included). */
    static final String PEFT_PREFIX = "base_model.model.";

    private InterpolatedExports() {
    }

    /**
     * @param adapterZip the job's PEFT adapter zip
     * @param initialHead the head at the fine-tuning phase's start (tensor names as in the model, e.g.
     *     {@code classifier.weight})
     * @throws IllegalArgumentException when the zip is not a LoRA adapter (methods without one export only the
     *     merged model) or saves modules other than the head, whose starting values are not at hand
     */
    public static void adapterAt(InputStream adapterZip, Path initialHead, double alpha, OutputStream out)
            throws IOException {
        WeightInterpolation.requireAlpha(alpha);
        Map<String, byte[]> entries = readZip(adapterZip);
        byte[] config = entries.get(ADAPTER_CONFIG);
        byte[] weights = entries.get(ADAPTER_WEIGHTS);
        if (config == null || weights == null) {
            throw new IllegalArgumentException("the job has no LoRA adapter (its method exports only the merged"
                    + " model): download format=merged instead");
        }
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(config);
        JsonNode loraAlpha = json.get("lora_alpha");
        if (loraAlpha == null || !loraAlpha.isNumber()) {
            throw new IllegalArgumentException(ADAPTER_CONFIG + " has no numeric lora_alpha");
        }
        for (JsonNode saved : json.path("modules_to_save")) {
            if (!"classifier".equals(saved.asString())) {
                throw new IllegalArgumentException("the adapter saves module " + saved.asString() + " whole, whose"
                        + " value before fine-tuning is not kept: it cannot be interpolated");
            }
        }
        json.put("lora_alpha", loraAlpha.asDouble() * alpha);
        entries.put(ADAPTER_CONFIG, Json.PRETTY.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        entries.put(ADAPTER_WEIGHTS, withHeadAt(weights, initialHead, alpha));
        entries.computeIfPresent("README.md", (name, readme) -> (new String(readme, StandardCharsets.UTF_8)
                + note(alpha)).getBytes(StandardCharsets.UTF_8));
        writeZip(entries, out);
    }

    /**
     * @param baseWeights the base model's {@code model.safetensors}
     * @param mergedZip the job's merged model folder, zipped ({@code model.safetensors}, {@code config.json}, ...)
     */
    public static void mergedAt(Path baseWeights, Path initialHead, InputStream mergedZip, double alpha,
                                OutputStream out) throws IOException {
        WeightInterpolation.requireAlpha(alpha);
        Map<String, byte[]> entries = readZip(mergedZip);
        byte[] merged = entries.get(MERGED_WEIGHTS);
        if (merged == null) {
            throw new IllegalArgumentException("the merged model zip has no " + MERGED_WEIGHTS);
        }
        Path temp = Files.createTempFile("merged", ".safetensors");
        try {
            Files.write(temp, merged);
            WeightInterpolation interpolation = WeightInterpolation.fromFiles(baseWeights, initialHead, temp);
            entries.put(MERGED_WEIGHTS, SafeTensors.serialize(interpolation.at(alpha), Map.of("format", "pt")));
        } finally {
            Files.deleteIfExists(temp);
        }
        writeZip(entries, out);
    }

    /** The adapter's tensors with each head tensor at initial + alpha (fine-tuned - initial). */
    private static byte[] withHeadAt(byte[] weights, Path initialHead, double alpha) throws IOException {
        Path temp = Files.createTempFile("adapter", ".safetensors");
        try {
            Files.write(temp, weights);
            Map<String, TensorData> tensors = new LinkedHashMap<>();
            Map<String, String> metadata;
            try (SafeTensorsFile adapter = SafeTensorsFile.open(temp);
                    SafeTensorsFile head = SafeTensorsFile.open(initialHead)) {
                metadata = adapter.header().metadata();
                for (String key : adapter.header().names()) {
                    String name = key.startsWith(PEFT_PREFIX) ? key.substring(PEFT_PREFIX.length()) : key;
                    long[] shape = adapter.header().tensor(key).shape();
                    if (head.header().contains(name)) {
                        Map<String, long[]> shapes = Map.of(name, shape);
                        WeightInterpolation one = new WeightInterpolation(shapes,
                                Map.of(name, head.readFloats(name)), Map.of(name, adapter.readFloats(key)));
                        tensors.put(key, TensorData.ofFloats(one.at(name, alpha), shape));
                    } else {
                        tensors.put(key, new TensorData(adapter.header().tensor(key).dtype(), shape,
                                adapter.readBytes(key)));
                    }
                }
            }
            return SafeTensors.serialize(tensors, metadata == null ? Map.of() : metadata);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String note(double alpha) {
        return String.format(Locale.ROOT, "%n%nThis copy is the fine-tuned adapter at WiSE-FT weight alpha = %s:"
                + " lora_alpha is multiplied by alpha and the head under modules_to_save is interpolated from its"
                + " value before fine-tuning, so the model is theta0 + alpha (theta_ft - theta0).%n", alpha);
    }

    static Map<String, byte[]> readZip(InputStream in) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.isDirectory()) {
                    entries.put(entry.getName(), zip.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static void writeZip(Map<String, byte[]> entries, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            zip.putNextEntry(new ZipEntry(entry.getKey()));
            zip.write(entry.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }
}
