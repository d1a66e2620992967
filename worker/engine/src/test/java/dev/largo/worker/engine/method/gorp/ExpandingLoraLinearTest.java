package dev.largo.worker.engine.method.gorp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.support.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpandingLoraLinearTest {

    private static final Random RANDOM = new Random(3);

    @Test
    void forwardSumsEveryPairAndEqualsTheEffectiveWeightAndTheExportedFactors() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = random(manager, 6, 5);
            NDArray b = random(manager, 6);
            NDArray a1 = random(manager, 2, 5);
            NDArray b1 = random(manager, 6, 2);
            ExpandingLoraLinear first = new ExpandingLoraLinear(w, b, null, null, a1, b1, 1.5);
            NDArray a2 = random(manager, 2, 5);
            NDArray b2 = random(manager, 6, 2);
            ExpandingLoraLinear second = first.nextTask(a2, b2, manager);
            assertThat(second.peftRank()).isEqualTo(4);
            assertThat(second.tensors()).containsKeys("lora_A", "lora_B", ExpandingLoraLinear.FROZEN_A,
                    ExpandingLoraLinear.FROZEN_B);

            NDArray x = random(manager, 3, 5);
            // h = x W^T + b + s (x A1^T) B1^T + s (x A2^T) B2^T, written out.
            NDArray expected = x.matMul(w.transpose()).add(b)
                    .add(x.matMul(a1.transpose()).matMul(b1.transpose()).mul(1.5))
                    .add(x.matMul(a2.transpose()).matMul(b2.transpose()).mul(1.5));
            assertClose(second.apply(x), expected);
            assertClose(x.matMul(second.effectiveWeight(manager).transpose()).add(b), expected);
            NDArray[] factors = second.peftFactors(manager);
            assertClose(x.matMul(w.add(factors[1].matMul(factors[0]).mul(second.scale())).transpose()).add(b),
                    expected);
        }
    }

    private static void assertClose(NDArray actual, NDArray expected) {
        double[] a = Arrays.toDoubles(actual);
        double[] e = Arrays.toDoubles(expected);
        assertThat(a).hasSameSizeAs(e);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).isCloseTo(e[i], within(1e-12));
        }
    }

    private static NDArray random(NDManager manager, long... shape) {
        int count = (int) new Shape(shape).size();
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = RANDOM.nextGaussian();
        }
        return manager.create(values, new Shape(shape));
    }
}
