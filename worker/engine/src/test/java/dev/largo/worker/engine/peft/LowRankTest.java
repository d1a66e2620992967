package dev.largo.worker.engine.peft;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.support.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The GEMM-friendly layout of {@link LowRank} against the plain {@code base + linear(linear(x, A) s, B)}. */
class LowRankTest {

    private static final Random RANDOM = new Random(5);

    @Test
    void outputAndGradientsMatchThePlainFormulation() {
        for (float scale : new float[] {2f, 1f}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray w = random(manager, 7, 6);
                NDArray bias = random(manager, 7);
                NDArray a = random(manager, 3, 6);
                NDArray b = random(manager, 7, 3);
                NDArray x = random(manager, 4, 5, 6);
                NDArray upstream = random(manager, 4, 5, 7);

                Figures fused = run(x, a, b, upstream, (xx, aa, bb) -> LowRank.add(
                        Linear.linear(xx, w, bias).singletonOrThrow(), xx, aa, bb, scale));
                Figures plain = run(x, a, b, upstream, (xx, aa, bb) -> Linear.linear(xx, w, bias).singletonOrThrow()
                        .add(Linear.linear(Arrays.multiply(Linear.linear(xx, aa).singletonOrThrow(), scale), bb)
                                .singletonOrThrow()));

                assertClose(fused.output, plain.output);
                assertClose(fused.gradA, plain.gradA);
                assertClose(fused.gradB, plain.gradB);
                assertClose(fused.gradX, plain.gradX);
                assertThat(fused.output.length).isEqualTo(4 * 5 * 7);
            }
        }
    }

    @Test
    void frozenFactorsPassTheGradientToTheInputOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = random(manager, 2, 6);
            NDArray b = random(manager, 7, 2);
            NDArray base = random(manager, 3, 7);
            NDArray x = random(manager, 3, 6);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(LowRank.add(base, x, a, b, 0.5f).sum());
            }
            // d/dx sum(s (x A^T) B^T) = s * colsum(B) A, the same for every row.
            float[] expected = Arrays.multiply(b.sum(new int[] {0}).matMul(a), 0.5).toFloatArray();
            float[] gradient = x.getGradient().toFloatArray();
            for (int i = 0; i < gradient.length; i++) {
                assertThat((double) gradient[i]).isCloseTo(expected[i % expected.length],
                        org.assertj.core.api.Assertions.within(1e-5));
            }
            assertThat(a.hasGradient()).isFalse();
            assertThat(b.hasGradient()).isFalse();
        }
    }

    private interface Layer {
        NDArray apply(NDArray x, NDArray a, NDArray b);
    }

    private record Figures(float[] output, float[] gradA, float[] gradB, float[] gradX) {
    }

    /** Runs {@code layer} on fresh copies of x, A, B (so gradients do not accumulate across runs). */
    private static Figures run(NDArray x0, NDArray a0, NDArray b0, NDArray upstream, Layer layer) {
        NDArray x = x0.duplicate();
        NDArray a = a0.duplicate();
        NDArray b = b0.duplicate();
        for (NDArray array : new NDArray[] {x, a, b}) {
            array.setRequiresGradient(true);
        }
        float[] output;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = layer.apply(x, a, b);
            output = y.toFloatArray();
            collector.backward(y.mul(upstream).sum());
        }
        return new Figures(output, a.getGradient().toFloatArray(), b.getGradient().toFloatArray(),
                x.getGradient().toFloatArray());
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).isCloseTo(expected[i],
                    org.assertj.core.api.Assertions.within(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }

    private static NDArray random(NDManager manager, long... shape) {
        float[] values = new float[(int) new Shape(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) RANDOM.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }
}
