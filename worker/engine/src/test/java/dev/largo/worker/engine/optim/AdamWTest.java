package dev.largo.worker.engine.optim;

import static dev.largo.worker.engine.optim.OptimTestSupport.parameter;
import static dev.largo.worker.engine.optim.OptimTestSupport.setGradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private static final float[][] GRADIENTS = {{0.5f, -1f, 2f}, {-0.25f, -1f, 1f}, {3f, 0f, -0.5f}};
    private static final float[] LRS = {0.1f, 0.05f, 0.02f};

    @Test
    void matchesAHandComputedReferenceOverThreeSteps() {
        float[] initial = {1f, -2f, 0.5f};
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-8f;
        float wd = 0.1f;
        double[] p = {1, -2, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor tensor = parameter(manager, "w", initial, 3);
            AdamW adam = new AdamW(manager, b1, b2, eps, wd);
            for (int t = 1; t <= 3; t++) {
                setGradients(List.of(tensor), List.of(GRADIENTS[t - 1]));
                adam.step(List.of(tensor), LRS[t - 1]);
                for (int i = 0; i < 3; i++) {
                    double g = GRADIENTS[t - 1][i];
                    p[i] *= 1 - LRS[t - 1] * wd;
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    double mHat = m[i] / (1 - Math.pow(b1, t));
                    double vHat = v[i] / (1 - Math.pow(b2, t));
                    p[i] -= LRS[t - 1] * mHat / (Math.sqrt(vHat) + eps);
                }
                float[] actual = tensor.value().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertThat((double) actual[i]).as("step %d element %d", t, i).isCloseTo(p[i], within(1e-6));
                }
            }
            assertThat(adam.stepCount()).isEqualTo(3);
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor a = parameter(manager, "a", new float[] {1f, 2f, 3f}, 3);
            TrainableTensor b = parameter(manager, "b", new float[] {-1f, 0f, 4f}, 3);
            AdamW original = new AdamW(manager, 0.01f);
            setGradients(List.of(a, b), List.of(GRADIENTS[0], GRADIENTS[1]));
            original.step(List.of(a, b), 0.1f);

            Map<String, NDArray> state = new HashMap<>(original.stateDict());
            assertThat(state).containsKeys("step", "m.a", "v.a", "m.b", "v.b");
            TrainableTensor a2 = parameter(manager, "a", a.value().toFloatArray(), 3);
            TrainableTensor b2 = parameter(manager, "b", b.value().toFloatArray(), 3);
            AdamW resumed = new AdamW(manager, 0.01f);
            resumed.loadStateDict(state, manager);
            assertThat(resumed.stepCount()).isEqualTo(1);

            setGradients(List.of(a, b), List.of(GRADIENTS[2], GRADIENTS[0]));
            original.step(List.of(a, b), 0.05f);
            setGradients(List.of(a2, b2), List.of(GRADIENTS[2], GRADIENTS[0]));
            resumed.step(List.of(a2, b2), 0.05f);
            assertThat(a2.value().toFloatArray()).containsExactly(a.value().toFloatArray());
            assertThat(b2.value().toFloatArray()).containsExactly(b.value().toFloatArray());
        }
    }

    @Test
    void stepsDoNotLeakArraysOntoLongLivedManagers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor w = parameter(manager, "w", new float[64], 8, 8);
            AdamW adam = new AdamW(manager, 0.01f);
            setGradients(List.of(w), List.of(new float[64]));
            adam.step(List.of(w), 0.1f); // creates the moments
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                adam.step(List.of(w), 0.1f);
                GradientClipping.clipGlobalNorm(List.of(w), 1f);
            }
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
            assertThat(w.value().getManager()).isSameAs(manager);
        }
    }
}
