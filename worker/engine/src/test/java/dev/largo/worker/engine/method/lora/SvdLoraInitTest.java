package dev.largo.worker.engine.method.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.linalg.Svd;
import dev.largo.worker.engine.linalg.SvdResult;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.testing.TinyModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SvdLoraInitTest {

    @Test
    void principalInitSplitsW0IntoResidualPlusTopRFactors() {
        checkInit(LoraInit.SVD_PRINCIPAL);
    }

    @Test
    void minorInitSplitsW0IntoResidualPlusSmallestRFactors() {
        checkInit(LoraInit.SVD_MINOR);
    }

    /**
     * For every adapted layer: W_res + B0 A0 == W0 (float32 tolerance), A = A0 and B = B0 at the start with
     * s = 1, and B0 A0 is the rank-r truncation of W0 at the chosen end of the spectrum (its singular values
     * match the exact SVD's largest or smallest r). The model's output is unchanged.
     */
    private void checkInit(LoraInit init) {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 8, 0.3, DataType.FLOAT32, manager)) {
            Map<String, double[]> original = new LinkedHashMap<>();
            model.linears().forEach((path, op) -> original.put(path, Arrays.toDoubles(op.tensors().get("weight"))));
            float[] pixels = new float[2 * 2 * 6 * 6];
            Random random = new Random(2);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextGaussian();
            }
            float[] before = logits(model, pixels);
            Map<String, LoraLinear> layers = LoraInjector.inject(model, new LoraConfig(3, 16, LoraConfig.DEFAULT_TARGETS, init), 5);
            assertThat(layers).hasSize(12);
            for (Map.Entry<String, LoraLinear> entry : layers.entrySet()) {
                LoraLinear lora = entry.getValue();
                assertThat(lora.scale()).isEqualTo(1f);
                assertThat(lora.loraA().toFloatArray()).containsExactly(lora.initialA().toFloatArray());
                assertThat(lora.loraB().toFloatArray()).containsExactly(lora.initialB().toFloatArray());
                double[] w0 = original.get(entry.getKey());
                double[] residual = Arrays.toDoubles(lora.residual());
                double[] product = Arrays.toDoubles(lora.initialB().matMul(lora.initialA()));
                for (int i = 0; i < w0.length; i++) {
                    assertThat(residual[i] + product[i]).as("%s[%d]", entry.getKey(), i).isCloseTo(w0[i], within(1e-6));
                }
                int m = (int) lora.outFeatures();
                int n = (int) lora.inFeatures();
                SvdResult exact = Svd.exact(w0, m, n);
                SvdResult ofProduct = Svd.exact(product, m, n);
                for (int k = 0; k < 3; k++) {
                    double expected = init == LoraInit.SVD_PRINCIPAL ? exact.s()[k] : exact.s()[exact.k() - 3 + k];
                    assertThat((double) ofProduct.s()[k]).as("%s sigma %d", entry.getKey(), k)
                            .isCloseTo(expected, within(1e-4 * exact.s()[0]));
                }
            }
            float[] after = logits(model, pixels);
            for (int i = 0; i < before.length; i++) {
                assertThat((double) after[i]).isCloseTo(before[i], within(1e-4));
            }
        }
    }

    private static float[] logits(ImageClassifier model, float[] pixels) {
        try (ForwardScope scope = ForwardScope.open(model)) {
            NDArray input = scope.manager().create(pixels, new Shape(2, 2, 6, 6));
            return model.logits(input).toFloatArray();
        }
    }
}
