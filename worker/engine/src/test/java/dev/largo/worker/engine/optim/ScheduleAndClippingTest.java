package dev.largo.worker.engine.optim;

import static dev.largo.worker.engine.optim.OptimTestSupport.parameter;
import static dev.largo.worker.engine.optim.OptimTestSupport.setGradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleAndClippingTest {

    @Test
    void cosineScheduleWarmsUpLinearlyThenDecaysToTheFloor() {
        CosineSchedule schedule = new CosineSchedule(1e-3f, 10, 110, 0.1f);
        assertThat(schedule.lr(0)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(schedule.lr(4)).isCloseTo(5e-4f, within(1e-9f));
        assertThat(schedule.lr(9)).isCloseTo(1e-3f, within(1e-9f));
        assertThat(schedule.lr(10)).isCloseTo(1e-3f, within(1e-9f));
        // Halfway through the decay: floor + (1 - floor) / 2.
        assertThat(schedule.lr(10 + 99 / 2)).isCloseTo(1e-3f * (0.1f + 0.9f * 0.5f * (1 + (float) Math.cos(
                Math.PI * 49 / 99))), within(1e-9f));
        assertThat(schedule.lr(109)).isCloseTo(1e-4f, within(1e-9f));
        assertThat(schedule.lr(500)).isCloseTo(1e-4f, within(1e-9f));
        for (long step = 11; step < 110; step++) {
            assertThat(schedule.lr(step)).isLessThanOrEqualTo(schedule.lr(step - 1));
        }
        assertThat(new CosineSchedule(1f, 0, 1, 0f).lr(0)).isEqualTo(1f);
    }

    @Test
    void clippingScalesTheGlobalNormToExactlyTheMaximum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor a = parameter(manager, "a", new float[2], 2);
            TrainableTensor b = parameter(manager, "b", new float[1], 1);
            setGradients(List.of(a, b), List.of(new float[] {3f, 4f}, new float[] {12f})); // norm 13
            float norm = GradientClipping.clipGlobalNorm(List.of(a, b), 1f);
            assertThat(norm).isCloseTo(13f, within(1e-5f));
            assertThat(a.gradient().toFloatArray()).containsExactly(new float[] {3f / 13, 4f / 13}, within(1e-7f));
            assertThat(b.gradient().toFloatArray()[0]).isCloseTo(12f / 13, within(1e-7f));
            assertThat(GradientClipping.clipGlobalNorm(List.of(a, b), 1f)).isCloseTo(1f, within(1e-6f));

            setGradients(List.of(a, b), List.of(new float[] {0.3f, 0.4f}, new float[] {0f}));
            assertThat(GradientClipping.clipGlobalNorm(List.of(a, b), 1f)).isCloseTo(0.5f, within(1e-6f));
            assertThat(a.gradient().toFloatArray()).containsExactly(0.3f, 0.4f); // under the limit: untouched
        }
    }

    @Test
    void sgdWithMomentumMatchesPyTorchsRule() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor w = parameter(manager, "w", new float[] {1f, -1f}, 2);
            Sgd sgd = new Sgd(manager, 0.9f, 0.1f);
            setGradients(List.of(w), List.of(new float[] {1f, 2f}));
            sgd.step(List.of(w), 0.5f);
            // d = g + 0.1 p = (1.1, 1.9); buf = d; p -= 0.5 d
            assertThat(w.value().toFloatArray()).containsExactly(new float[] {0.45f, -1.95f}, within(1e-6f));
            setGradients(List.of(w), List.of(new float[] {0f, 1f}));
            sgd.step(List.of(w), 0.5f);
            // d = (0.045, 0.805); buf = 0.9 (1.1, 1.9) + d = (1.035, 2.515)
            assertThat(w.value().toFloatArray()).containsExactly(new float[] {0.45f - 0.5175f, -1.95f - 1.2575f},
                    within(1e-6f));
        }
    }

    @Test
    void zeroingClearsGradientsEvenAfterNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor a = parameter(manager, "a", new float[2], 2);
            setGradients(List.of(a), List.of(new float[] {Float.NaN, 3f}));
            assertThat(a.gradient().toFloatArray()[0]).isNaN();
            Gradients.zero(List.of(a));
            assertThat(a.gradient().toFloatArray()).containsExactly(0f, 0f);
        }
    }
}
