package dev.largo.worker.engine.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PeftAdapterLoader;
import dev.largo.worker.engine.export.PeftExporter;
import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.method.gorp.GorpModel;
import dev.largo.worker.engine.model.DenseLinear;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.support.Arrays;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export of a GORP model after two tasks: one PEFT LoRA pair of rank 2r per module (A' = [A_1; A_2],
 * B' = [B_1, B_2], lora_alpha = s * 2r, so PEFT's alpha/r is s) plus the full-rank MLP weights under
 * modules_to_save. Loaded onto the unmodified base model, it must give the trained model's logits.
 */
class GorpExportTest {

    private static final Random RANDOM = new Random(31);

    @TempDir
    Path dir;

    @Test
    void peftForwardOfTheExportEqualsTheModelsForward() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        GorpConfig config = new GorpConfig(2, 6, List.of("query", "value"), List.of("intermediate.dense"), 3, 10,
                0.25, 0.9, null);
        Path zip = dir.resolve("adapter.zip");
        Path merged = dir.resolve("merged");
        float[] pixels = randomPixels(5);
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = ModelLoader.loadImage(ContinualFixtures.CONFIG, weights, manager)) {
            GorpModel gorp = GorpModel.prepare(model, config, 3);
            perturbTrainable(model, gorp);
            gorp.startTask(1);
            perturbTrainable(model, gorp);
            assertThat(model.tensors()).containsKey("vit.encoder.layer.1.attention.attention.value.lora_A_frozen");
            expected = logits(model, pixels);
            var exported = PeftExporter.export(model, config.loraTargets(), config.fullRankTargets(), "tiny", "gorp", zip);
            assertThat(exported.rank()).isEqualTo(4);
            // PEFT scales by lora_alpha / r: 4 * s keeps every pair's scale s = alpha / rank = 3.
            assertThat(exported.loraAlpha()).isEqualTo(12.0);
            MergedModelWriter.write(model, merged);
        }
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier base = ModelLoader.loadImage(ContinualFixtures.CONFIG, weights, manager)) {
            PeftAdapterLoader.apply(base, zip);
            assertThat(base.linears().get("vit.encoder.layer.0.intermediate.dense")).isInstanceOf(DenseLinear.class);
            assertClose(logits(base, pixels), expected);
        }
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier mergedModel = ModelLoader.loadImage(merged.resolve("config.json"),
                     merged.resolve("model.safetensors"), manager)) {
            assertClose(logits(mergedModel, pixels), expected);
        }
    }

    @Test
    void withoutTheFullRankModulesTheExportWouldDiffer() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        GorpConfig config = new GorpConfig(2, 6, List.of("query"), List.of("intermediate.dense"), 3, 10, 0.25, 0.9, null);
        Path zip = dir.resolve("lora-only.zip");
        float[] pixels = randomPixels(3);
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = ModelLoader.loadImage(ContinualFixtures.CONFIG, weights, manager)) {
            GorpModel gorp = GorpModel.prepare(model, config, 3);
            perturbTrainable(model, gorp);
            expected = logits(model, pixels);
            PeftExporter.export(model, config.loraTargets(), List.of(), "tiny", "gorp", zip);
            assertThatThrownBy(() -> PeftExporter.export(model, config.loraTargets(), List.of("query"), "tiny", "gorp",
                    dir.resolve("bad.zip"))).hasMessageContaining("both a LoRA target and saved whole");
        }
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier base = ModelLoader.loadImage(ContinualFixtures.CONFIG, weights, manager)) {
            PeftAdapterLoader.apply(base, zip);
            float[] actual = logits(base, pixels);
            double difference = 0;
            for (int i = 0; i < actual.length; i++) {
                difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
            }
            assertThat(difference).as("the MLP change is missing from a LoRA-only export").isGreaterThan(1e-3);
        }
    }

    /** Random values in every trainable tensor: the current pairs (B non-zero), the MLP weights, the head. */
    private static void perturbTrainable(ImageClassifier model, GorpModel gorp) {
        Map<String, NDArray> tensors = model.tensors();
        for (String name : gorp.describe().trainable()) {
            NDArray tensor = tensors.get(name);
            double[] values = Arrays.toDoubles(tensor);
            for (int i = 0; i < values.length; i++) {
                values[i] += RANDOM.nextGaussian() * 0.3;
            }
            float[] floats = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                floats[i] = (float) values[i];
            }
            tensor.set(floats);
        }
    }

    /** {@code images} random 8x8x1 inputs. */
    private static float[] randomPixels(int images) {
        float[] pixels = new float[images * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) RANDOM.nextGaussian();
        }
        return pixels;
    }

    private static float[] logits(ImageClassifier model, float[] pixels) {
        try (ForwardScope scope = ForwardScope.open(model)) {
            NDArray input = scope.manager().create(pixels, new Shape(pixels.length / 64, 1, 8, 8));
            return model.logits(input).toFloatArray();
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i], within(1e-4));
        }
    }
}
