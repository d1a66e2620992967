package dev.largo.worker.engine.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraInjector;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.testing.TinyModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The exported adapter means what PEFT says it means, checked by an implementation that is not ours:
 * {@code src/test/python/peft_reference.py} loads the base model in PyTorch, applies the adapter zip by PEFT's
 * documented rules (scaling lora_alpha / r, modules_to_save) and compares its logits with the merged model's and
 * with the logits this engine computes. Needs Debian's python3-torch; without it the test is skipped, saying why.
 */
class PeftSemanticsScriptTest {

    private static final Path SCRIPT = Path.of("src/test/python/peft_reference.py");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = LoraInit.class, names = {"GAUSSIAN", "SVD_PRINCIPAL"})
    void pytorchAppliesTheAdapterAsTheEngineDoes(LoraInit init) throws Exception {
        String python = pythonWithTorch();
        ModelConfig config = TinyModels.vit(1e-12, 3);
        Path base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("config.json"), config.toJson());
        float[] pixels = new float[5 * 2 * 6 * 6];
        Random random = new Random(4);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        float[] logits;
        try (NDManager manager = NDManager.newBaseManager()) {
            SafeTensors.writeNDArrays(base.resolve("model.safetensors"),
                    TinyModels.randomTensors(config, 3, 0.3, DataType.FLOAT32, manager), Map.of());
            try (ImageClassifier model = ModelLoader.loadImage(base.resolve("config.json"), base.resolve("model.safetensors"),
                    manager)) {
                LoraConfig lora = new LoraConfig(2, 4, LoraConfig.DEFAULT_TARGETS, init);
                for (LoraLinear layer : LoraInjector.inject(model, lora, 17).values()) {
                    perturb(random, layer);
                }
                model.replaceHead(List.of("a", "b", "c", "d"), 9);
                PeftExporter.export(model, lora.targetModules(), "base", init.id(), dir.resolve("adapter.zip"));
                MergedModelWriter.write(model, dir.resolve("merged"));
                try (ForwardScope scope = ForwardScope.open(model)) {
                    logits = model.logits(scope.manager().create(pixels, new Shape(5, 2, 6, 6))).toFloatArray();
                }
            }
        }
        writeFloats(dir.resolve("pixels.f32"), pixels);
        writeFloats(dir.resolve("logits.f32"), logits);

        Process process = new ProcessBuilder(python, SCRIPT.toString(), "--base", base.toString(), "--adapter",
                dir.resolve("adapter.zip").toString(), "--merged", dir.resolve("merged").toString(), "--pixels",
                dir.resolve("pixels.f32").toString(), "--shape", "5,2,6,6", "--expected",
                dir.resolve("logits.f32").toString(), "--tolerance", "1e-4").redirectErrorStream(true).start();
        boolean ended = process.waitFor(120, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("peft_reference.py (" + init.id() + "): " + output);
        assertThat(ended).as("the script ended").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        JsonNode result = Json.MAPPER.readTree(output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        JsonNode differences = result.get("max_abs_differences");
        assertThat(differences.get("peft_vs_merged").doubleValue()).isLessThan(1e-4);
        assertThat(differences.get("peft_vs_expected").doubleValue()).isLessThan(1e-4);
        // the adapter must change the model, or the comparisons above prove nothing
        assertThat(differences.get("adapter_effect").doubleValue()).isGreaterThan(1e-2);
    }

    /** A trained-looking adapter: A and B moved away from their init. */
    private static void perturb(Random random, LoraLinear layer) {
        for (var array : List.of(layer.loraA(), layer.loraB())) {
            float[] values = array.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (random.nextGaussian() * 0.2);
            }
            array.set(values);
        }
    }

    /** Debian's python3 with python3-torch, else the test is skipped with the reason. */
    private static String pythonWithTorch() throws InterruptedException {
        List<String> tried = new ArrayList<>();
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import torch").redirectErrorStream(true).start();
                if (probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
                tried.add(candidate + ": no torch module");
            } catch (IOException e) {
                tried.add(candidate + ": " + e.getMessage());
            }
        }
        String reason = "skipped: no python3 with PyTorch (install Debian's python3-torch); tried " + tried;
        System.out.println("PeftSemanticsScriptTest " + reason);
        Assumptions.abort(reason);
        return null;
    }

    private static void writeFloats(Path file, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        Files.write(file, buffer.array());
    }
}
