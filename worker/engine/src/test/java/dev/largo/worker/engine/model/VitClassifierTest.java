package dev.largo.worker.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.largo.worker.engine.model.vit.VitConfig;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.testing.Erf;
import dev.largo.worker.engine.testing.ReferenceVit;
import dev.largo.worker.engine.testing.TinyModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VitClassifierTest {

    @Test
    void forwardMatchesAnIndependentDoublePrecisionReference() {
        // A large layer-norm eps makes eps handling visible (0.25: DJL passes eps as a float, and 0.25 is
        // exact in float); std 0.5 puts GELU in its curved range.
        VitConfig config = (VitConfig) TinyModels.vit(0.25, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TinyModels.randomTensors(config, 7, 0.5, DataType.FLOAT64, manager);
            Map<String, double[]> values = new LinkedHashMap<>();
            tensors.forEach((name, array) -> values.put(name, Arrays.toDoubles(array)));
            Random random = new Random(3);
            int n = 3;
            int size = config.numChannels() * config.imageSize() * config.imageSize();
            double[][] pixels = new double[n][];
            double[] flat = new double[n * size];
            for (int i = 0; i < n; i++) {
                pixels[i] = TinyModels.randomDoubles(random, size, 1.0);
                System.arraycopy(pixels[i], 0, flat, i * size, size);
            }
            double[][] expected = new ReferenceVit(config, values).logits(pixels);

            try (ImageClassifier model = Classifiers.createImage(config, tensors, manager);
                 ForwardScope scope = ForwardScope.open(model)) {
                NDArray input = scope.manager().create(flat, new Shape(n, 2, 6, 6));
                double[] actual = model.logits(input).toDoubleArray();
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 3; k++) {
                        assertThat(actual[i * 3 + k]).as("logit %d,%d", i, k).isCloseTo(expected[i][k], within(1e-10));
                    }
                }
            }
        }
    }

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] xs = {-4f, -2f, -1f, -0.3f, 0f, 0.3f, 1f, 2f, 4f};
            float[] ys = Activation.gelu(manager.create(xs)).toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertThat((double) ys[i]).as("gelu(%s)", xs[i]).isCloseTo(Erf.gelu(xs[i]), within(1e-6));
            }
            // The tanh approximation gives 0.841192 at 1; the erf form 0.841345.
            double tanhForm = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
            assertThat(Math.abs(ys[6] - tanhForm)).isGreaterThan(1e-4);
        }
    }

    @Test
    void mlpForwardIsFlattenDenseGeluDenseGeluClassifier() {
        ModelConfig config = TinyModels.mlp(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TinyModels.randomTensors(config, 5, 0.4, DataType.FLOAT64, manager);
            Map<String, double[]> v = new LinkedHashMap<>();
            tensors.forEach((name, array) -> v.put(name, Arrays.toDoubles(array)));
            double[] image = TinyModels.randomDoubles(new Random(1), 16, 1.0);
            double[] h = image;
            for (String layer : new String[] {"mlp.layers.0.dense", "mlp.layers.1.dense"}) {
                h = dense(v.get(layer + ".weight"), v.get(layer + ".bias"), h);
                for (int i = 0; i < h.length; i++) {
                    h[i] = Erf.gelu(h[i]);
                }
            }
            double[] expected = dense(v.get("classifier.weight"), v.get("classifier.bias"), h);
            try (ImageClassifier model = Classifiers.createImage(config, tensors, manager);
                 ForwardScope scope = ForwardScope.open(model)) {
                double[] actual = model.logits(scope.manager().create(image, new Shape(1, 1, 4, 4))).toDoubleArray();
                for (int k = 0; k < 3; k++) {
                    assertThat(actual[k]).isCloseTo(expected[k], within(1e-12));
                }
            }
        }
    }

    @Test
    void forwardOutsideAForwardScopeIsRefused() {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 1, 0.1, DataType.FLOAT32, manager)) {
            NDArray input = manager.zeros(new Shape(1, 2, 6, 6));
            assertThatThrownBy(() -> model.logits(input)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ForwardScope");
        }
    }

    @Test
    void stepScopesLeaveNothingBehindOnTheModelsManager() {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 1, 0.1, DataType.FLOAT32, manager)) {
            int before = model.manager().getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                try (ForwardScope scope = ForwardScope.open(model)) {
                    model.logits(scope.manager().ones(new Shape(4, 2, 6, 6))).sum().getFloat();
                }
            }
            assertThat(model.manager().getManagedArrays()).hasSize(before);
            assertThat(model.tensors().values()).allSatisfy(t -> assertThat(t.getManager()).isSameAs(model.manager()));
        }
    }

    private static double[] dense(double[] w, double[] b, double[] x) {
        double[] y = new double[b.length];
        for (int o = 0; o < y.length; o++) {
            y[o] = b[o];
            for (int k = 0; k < x.length; k++) {
                y[o] += w[o * x.length + k] * x[k];
            }
        }
        return y;
    }
}
