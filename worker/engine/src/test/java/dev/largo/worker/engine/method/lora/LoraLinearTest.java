package dev.largo.worker.engine.method.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.model.DenseLinear;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.testing.TinyModels;
import dev.largo.worker.engine.train.CrossEntropy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoraLinearTest {

    private static final Random RANDOM = new Random(11);

    @Test
    void layerGradientsMatchCentralFiniteDifferencesInDoublePrecision() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = random(manager, 5, 4);
            NDArray b = random(manager, 5);
            NDArray a = random(manager, 3, 4);
            NDArray bb = random(manager, 5, 3);
            LoraLinear layer = new LoraLinear(w, b, a, bb, null, null, 2.0, LoraInit.GAUSSIAN);
            a.setRequiresGradient(true);
            bb.setRequiresGradient(true);
            NDArray x = random(manager, 2, 3, 4);
            NDArray weights = random(manager, 2, 3, 5);
            Supplier<Double> loss = () -> layer.apply(x).mul(weights).sum().getDouble();

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(layer.apply(x).mul(weights).sum());
            }
            checkAgainstFiniteDifferences(a, loss, 1e-8);
            checkAgainstFiniteDifferences(bb, loss, 1e-8);
            assertThat(w.hasGradient()).as("frozen W_res gets no gradient").isFalse();
            assertThat(b.hasGradient()).as("frozen bias gets no gradient").isFalse();
        }
    }

    @Test
    void modelGradientsThroughAdaptedVitMatchFiniteDifferences() {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-6, 3), 2, 0.4, DataType.FLOAT64, manager)) {
            var layers = LoraInjector.inject(model, new LoraConfig(2, 4, LoraConfig.DEFAULT_TARGETS, LoraInit.GAUSSIAN), 9);
            // B starts at zero; give it values so the gradient of A is not trivially zero.
            for (LoraLinear layer : layers.values()) {
                layer.loraB().set(TinyModels.randomDoubles(RANDOM, (int) layer.loraB().size(), 0.3));
            }
            List<String> names = new ArrayList<>();
            for (String path : layers.keySet()) {
                names.add(path + ".lora_A");
                names.add(path + ".lora_B");
            }
            names.add("classifier.weight");
            names.add("classifier.bias");
            model.setTrainable(names);
            double[] pixels = TinyModels.randomDoubles(RANDOM, 4 * 2 * 6 * 6, 1.0);
            long[] labels = {0, 2, 1, 2};
            Supplier<Double> loss = () -> {
                try (ForwardScope scope = ForwardScope.open(model)) {
                    NDArray input = scope.manager().create(pixels, new Shape(4, 2, 6, 6));
                    return CrossEntropy.mean(model.logits(input), scope.manager().create(labels)).getDouble();
                }
            };
            try (ForwardScope scope = ForwardScope.open(model)) {
                NDArray input = scope.manager().create(pixels, new Shape(4, 2, 6, 6));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(CrossEntropy.mean(model.logits(input), scope.manager().create(labels)));
                }
                List<TrainableTensor> trainable = model.trainable();
                assertThat(trainable).hasSize(names.size());
                for (TrainableTensor tensor : trainable) {
                    double[] gradient = Arrays.toDoubles(tensor.gradient());
                    double[] numeric = numericGradient(tensor.value(), loss, 4);
                    for (int i = 0; i < numeric.length; i++) {
                        assertThat(gradient[i]).as("%s[%d]", tensor.name(), i).isCloseTo(numeric[i], within(1e-7));
                    }
                }
            }
            for (LoraLinear layer : layers.values()) {
                assertThat(layer.residual().hasGradient()).isFalse();
            }
        }
    }

    @Test
    void gaussianInitLeavesTheModelsOutputBitIdentical() {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 4, 0.3, DataType.FLOAT32, manager)) {
            float[] pixels = new float[3 * 2 * 6 * 6];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) RANDOM.nextGaussian();
            }
            float[] before = logits(model, pixels);
            var layers = LoraInjector.inject(model, LoraConfig.defaults(LoraInit.GAUSSIAN), 1);
            assertThat(layers).hasSize(2 * 6);
            for (LoraLinear layer : layers.values()) {
                assertThat(layer.loraB().abs().max().getFloat()).isZero();
                assertThat(layer.loraA().abs().max().getFloat()).isPositive()
                        .isLessThanOrEqualTo((float) (1 / Math.sqrt(layer.inFeatures())));
                assertThat(layer.scale()).isEqualTo(2f);
            }
            assertThat(logits(model, pixels)).containsExactly(before);
        }
    }

    @Test
    void effectiveWeightIsResidualPlusScaledBA() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = random(manager, 4, 3);
            NDArray a = random(manager, 2, 3);
            NDArray b = random(manager, 4, 2);
            LoraLinear layer = new LoraLinear(w, null, a, b, null, null, 0.5, LoraInit.GAUSSIAN);
            double[] wv = w.toDoubleArray();
            double[] av = a.toDoubleArray();
            double[] bv = b.toDoubleArray();
            double[] merged = layer.effectiveWeight(manager).toDoubleArray();
            for (int o = 0; o < 4; o++) {
                for (int i = 0; i < 3; i++) {
                    double expected = wv[o * 3 + i] + 0.5 * (bv[o * 2] * av[i] + bv[o * 2 + 1] * av[3 + i]);
                    assertThat(merged[o * 3 + i]).isCloseTo(expected, within(1e-14));
                }
            }
            // Applying the merged weight as a dense layer gives the same output.
            NDArray x = random(manager, 5, 3);
            double[] viaLora = layer.apply(x).toDoubleArray();
            double[] viaDense = new DenseLinear(layer.effectiveWeight(manager), null).apply(x).toDoubleArray();
            for (int i = 0; i < viaLora.length; i++) {
                assertThat(viaLora[i]).isCloseTo(viaDense[i], within(1e-12));
            }
        }
    }

    @Test
    void targetsFollowPeftSuffixRulesAndNeverTheHead() {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 4, 0.3, DataType.FLOAT32, manager)) {
            List<String> targets = LoraInjector.targets(model,
                    new LoraConfig(2, 4, List.of("query", "value"), LoraInit.GAUSSIAN));
            assertThat(targets).containsExactly(
                    "vit.encoder.layer.0.attention.attention.query", "vit.encoder.layer.0.attention.attention.value",
                    "vit.encoder.layer.1.attention.attention.query", "vit.encoder.layer.1.attention.attention.value");
            assertThat(LoraInjector.targets(model, new LoraConfig(2, 4, List.of("output.dense"), LoraInit.GAUSSIAN)))
                    .containsExactly("vit.encoder.layer.0.attention.output.dense", "vit.encoder.layer.0.output.dense",
                            "vit.encoder.layer.1.attention.output.dense", "vit.encoder.layer.1.output.dense");
            assertThatThrownBy(() -> LoraInjector.targets(model,
                    new LoraConfig(2, 4, List.of("query", "classifier"), LoraInit.GAUSSIAN)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"classifier\" matches no linear module")
                    .hasMessageContaining("query");
            assertThatThrownBy(() -> LoraInjector.targets(model,
                    new LoraConfig(2, 4, List.of("projection"), LoraInit.GAUSSIAN)))
                    .hasMessageContaining("\"projection\" matches no linear module");
        }
    }

    private static float[] logits(ImageClassifier model, float[] pixels) {
        try (ForwardScope scope = ForwardScope.open(model)) {
            return model.logits(scope.manager().create(pixels, new Shape(3, 2, 6, 6))).toFloatArray();
        }
    }

    private static NDArray random(NDManager manager, long... shape) {
        Shape s = new Shape(shape);
        return manager.create(TinyModels.randomDoubles(RANDOM, (int) s.size(), 0.7), s);
    }

    private static void checkAgainstFiniteDifferences(NDArray parameter, Supplier<Double> loss, double tolerance) {
        double[] gradient = parameter.getGradient().toDoubleArray();
        double[] numeric = numericGradient(parameter, loss, Integer.MAX_VALUE);
        for (int i = 0; i < numeric.length; i++) {
            assertThat(gradient[i]).as("gradient[%d]", i).isCloseTo(numeric[i], within(tolerance));
        }
    }

    /** Central differences (step 1e-6) for the first {@code limit} entries; the rest are left 0 and skipped. */
    private static double[] numericGradient(NDArray parameter, Supplier<Double> loss, int limit) {
        double[] values = parameter.toDoubleArray();
        int count = Math.min(limit, values.length);
        double[] numeric = new double[count];
        double h = 1e-6;
        for (int i = 0; i < count; i++) {
            double original = values[i];
            values[i] = original + h;
            parameter.set(values);
            double plus = loss.get();
            values[i] = original - h;
            parameter.set(values);
            double minus = loss.get();
            values[i] = original;
            parameter.set(values);
            numeric[i] = (plus - minus) / (2 * h);
        }
        return numeric;
    }
}
