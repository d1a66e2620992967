package dev.largo.worker.engine.method.largo;

import static dev.largo.worker.engine.optim.OptimTestSupport.parameter;
import static dev.largo.worker.engine.optim.OptimTestSupport.setGradients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.optim.AdamW;
import dev.largo.worker.engine.optim.Sgd;
import dev.largo.worker.engine.optim.TrainableTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegulatedProjectionTest {

    private static final long[][] SHAPES = {{4, 6}, {6, 4}, {5}, {3, 2, 2}};

    private static List<TrainableTensor> tensors(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TrainableTensor> out = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            out.add(parameter(manager, "layer." + i + ".lora", values(random, size(SHAPES[i])), SHAPES[i]));
        }
        out.add(parameter(manager, "classifier.weight", values(random, 6), 2, 3)); // unregulated head
        return out;
    }

    private static boolean isAdapter(String name) {
        return name.endsWith(".lora");
    }

    /** Gradients with a persistent direction plus noise, so radii have a reason to grow. */
    private static List<float[]> gradients(int step, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1000 + step);
        SplittableRandom drift = new SplittableRandom(seed);
        List<float[]> out = new ArrayList<>();
        for (long[] shape : SHAPES) {
            float[] g = values(drift, size(shape));
            for (int j = 0; j < g.length; j++) {
                g[j] += 0.5f * (float) random.nextGaussian();
            }
            out.add(g);
        }
        out.add(values(random, 6));
        return out;
    }

    @Test
    void everyRowStaysWithinGammaOfItsAnchorInEachNorm() {
        for (DeviationNorm norm : DeviationNorm.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                List<TrainableTensor> params = tensors(manager, 1);
                List<float[]> anchors = params.stream().map(t -> t.value().toFloatArray()).toList();
                RegulatedProjection largo = new RegulatedProjection(manager, new AdamW(manager, 0f),
                        LargoConfig.DEFAULT.withNorm(norm).withMu(0.02f), RegulatedProjectionTest::isAdapter);
                boolean moved = false;
                for (int step = 1; step <= 12; step++) {
                    setGradients(params, gradients(step, 1));
                    largo.step(params, 0.05f);
                    Map<String, Float> gammas = largo.gammas();
                    assertThat(gammas).hasSize(SHAPES.length);
                    for (int i = 0; i < SHAPES.length; i++) {
                        float gamma = gammas.get(params.get(i).name());
                        double[] deviations = rowNorms(params.get(i).value().toFloatArray(), anchors.get(i),
                                SHAPES[i], norm);
                        for (double deviation : deviations) {
                            assertThat(deviation).as("%s step %d tensor %d", norm, step, i)
                                    .isLessThanOrEqualTo(gamma * (1 + 1e-4) + 1e-6);
                        }
                        moved |= gamma > 1e-3;
                    }
                }
                assertThat(moved).as("radii grew under a persistent gradient (%s)", norm).isTrue();
            }
        }
    }

    @Test
    void hugeUncappedRadiusIsPlainAdamW() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainableTensor> regulated = tensors(manager, 2);
            List<TrainableTensor> plain = tensors(manager, 2);
            RegulatedProjection largo = new RegulatedProjection(manager, new AdamW(manager, 0.01f),
                    LargoConfig.DEFAULT.withGammaInit(1e6f).withMu(0f).withCapRadiusAtDeviation(false),
                    RegulatedProjectionTest::isAdapter);
            AdamW adam = new AdamW(manager, 0.01f);
            for (int step = 1; step <= 4; step++) {
                setGradients(regulated, gradients(step, 2));
                setGradients(plain, gradients(step, 2));
                largo.step(regulated, 0.05f);
                adam.step(plain, 0.05f);
                for (int i = 0; i < plain.size(); i++) {
                    assertThat(regulated.get(i).value().toFloatArray())
                            .containsExactly(plain.get(i).value().toFloatArray());
                }
            }
        }
    }

    /**
     * With the cap (the default, as FTP), a huge initial radius leaves the first two steps unprojected
     * (plain AdamW), then is clipped to the largest deviation of step 2 and, with mu = 0, stays there.
     */
    @Test
    void cappedRadiusFreezesAtTheSecondStepsLargestDeviationWhenMuIsZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainableTensor> regulated = tensors(manager, 6);
            List<TrainableTensor> plain = tensors(manager, 6);
            List<float[]> anchors = regulated.stream().map(t -> t.value().toFloatArray()).toList();
            RegulatedProjection largo = new RegulatedProjection(manager, new AdamW(manager, 0f),
                    LargoConfig.DEFAULT.withGammaInit(1e6f).withMu(0f), RegulatedProjectionTest::isAdapter);
            AdamW adam = new AdamW(manager, 0f);
            float[] frozen = new float[SHAPES.length];
            for (int step = 1; step <= 5; step++) {
                setGradients(regulated, gradients(step, 6));
                setGradients(plain, gradients(step, 6));
                largo.step(regulated, 0.05f);
                adam.step(plain, 0.05f);
                for (int i = 0; i < SHAPES.length; i++) {
                    String name = regulated.get(i).name();
                    float[] value = regulated.get(i).value().toFloatArray();
                    if (step <= 2) {
                        assertThat(value).containsExactly(plain.get(i).value().toFloatArray());
                    }
                    if (step == 2) {
                        double largest = java.util.Arrays.stream(rowNorms(value, anchors.get(i), SHAPES[i],
                                DeviationNorm.L1_ROW)).max().orElseThrow();
                        assertThat((double) largo.gammas().get(name)).isCloseTo(largest, within(largest * 1e-5));
                        frozen[i] = largo.gammas().get(name);
                    }
                    if (step > 2) {
                        assertThat(largo.gammas().get(name)).isLessThanOrEqualTo(frozen[i]);
                    }
                }
            }
            // The persistent gradient pushes AdamW further than the frozen radius allows.
            assertThat(regulated.get(0).value().toFloatArray()).isNotEqualTo(plain.get(0).value().toFloatArray());
        }
    }

    @Test
    void tinyFixedRadiusKeepsRegulatedTensorsAtTheirAnchorsAndLeavesTheHeadToTheBaseOptimizer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainableTensor> regulated = tensors(manager, 3);
            List<TrainableTensor> plain = tensors(manager, 3);
            List<float[]> anchors = regulated.stream().map(t -> t.value().toFloatArray()).toList();
            RegulatedProjection largo = new RegulatedProjection(manager, new AdamW(manager, 0f),
                    LargoConfig.DEFAULT.withMu(0f), RegulatedProjectionTest::isAdapter);
            largo.captureAnchors(regulated);
            AdamW adam = new AdamW(manager, 0f);
            for (int step = 1; step <= 4; step++) {
                setGradients(regulated, gradients(step, 3));
                setGradients(plain, gradients(step, 3));
                largo.step(regulated, 0.1f);
                adam.step(plain, 0.1f);
            }
            for (int i = 0; i < SHAPES.length; i++) {
                assertThat(regulated.get(i).value().toFloatArray()).containsExactly(anchors.get(i), within(1e-6f));
                assertThat(largo.gammas().get(regulated.get(i).name())).isEqualTo(1e-8f);
            }
            int head = SHAPES.length;
            assertThat(regulated.get(head).value().toFloatArray()).containsExactly(
                    plain.get(head).value().toFloatArray());
            assertThat(regulated.get(head).value().toFloatArray()).isNotEqualTo(anchors.get(head));
        }
    }

    /**
     * Replays three steps by hand (SGD base, L1 rows): step 2's hypergradient is negative (the
     * gradient keeps its direction, a wider radius lowers the loss) so gamma grows by mu; step 3
     * reverses the gradient, the hypergradient is positive, and kappa scales it before gamma's Adam,
     * so a smaller kappa tightens less.
     */
    @Test
    void radiusFollowsTheHypergradientSignRuleWithKappa() {
        double damped = replayThreeSteps(0.5f);
        double undamped = replayThreeSteps(1.0f);
        assertThat(damped).isGreaterThan(undamped);
    }

    private double replayThreeSteps(float kappa) {
        float lr = 0.1f;
        float mu = 0.01f;
        float[] p0 = {1f, -1f, 0.5f, 2f, 0f, -0.5f};
        float[] g = {1f, 2f, -1f, 0.5f, -2f, 1f};
        float[][] grads = {g, g, negate(g)};
        LargoConfig config = LargoConfig.DEFAULT.withKappa(kappa).withMu(mu);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor p = parameter(manager, "a.lora", p0, 2, 3);
            RegulatedProjection largo = new RegulatedProjection(manager, new Sgd(manager, 0f, 0f), config,
                    RegulatedProjectionTest::isAdapter);

            double[] current = toDoubles(p0);
            double[] cPrev = null;
            double[] nPrev = null;
            double gamma = config.gammaInit();
            double m = 0;
            double v = 0;
            List<Double> hypergradients = new ArrayList<>();
            for (int t = 1; t <= 3; t++) {
                setGradients(List.of(p), List.of(grads[t - 1]));
                largo.step(List.of(p), lr);

                double[] c = new double[6];
                for (int j = 0; j < 6; j++) {
                    c[j] = current[j] - lr * grads[t - 1][j] - p0[j];
                }
                double[] n = {Math.abs(c[0]) + Math.abs(c[1]) + Math.abs(c[2]) + config.eps(),
                        Math.abs(c[3]) + Math.abs(c[4]) + Math.abs(c[5]) + config.eps()};
                if (t > 1) {
                    double h = 0;
                    for (int j = 0; j < 6; j++) {
                        h += grads[t - 1][j] * cPrev[j] / nPrev[j / 3];
                    }
                    hypergradients.add(h);
                    double scaled = h > 0 ? kappa * h : h;
                    m = 0.9 * m + 0.1 * scaled;
                    v = 0.999 * v + 0.001 * scaled * scaled;
                    double mHat = m / (1 - Math.pow(0.9, t - 1));
                    double vHat = v / (1 - Math.pow(0.999, t - 1));
                    gamma = gamma - mu * mHat / (Math.sqrt(vHat) + config.eps());
                    gamma = Math.max(config.eps(), Math.min(Math.max(n[0], n[1]), gamma));
                }
                for (int j = 0; j < 6; j++) {
                    double keep = Math.min(1, Math.max(0, gamma / n[j / 3]));
                    current[j] = p0[j] + keep * c[j];
                }
                cPrev = c;
                nPrev = n;

                assertThat((double) largo.gammas().get("a.lora")).as("gamma after step %d", t)
                        .isCloseTo(gamma, within(Math.max(1e-9, gamma * 1e-5)));
                float[] actual = p.value().toFloatArray();
                for (int j = 0; j < 6; j++) {
                    assertThat((double) actual[j]).as("step %d element %d", t, j).isCloseTo(current[j], within(1e-6));
                }
                if (t == 2) {
                    // Adam's first step has magnitude mu whatever the hypergradient's size.
                    assertThat(gamma).isCloseTo(1e-8 + mu, within(1e-7));
                }
            }
            assertThat(hypergradients.get(0)).isNegative();
            assertThat(hypergradients.get(1)).isPositive();
            return gamma;
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainableTensor> first = tensors(manager, 4);
            RegulatedProjection original = new RegulatedProjection(manager, new AdamW(manager, 0.01f),
                    LargoConfig.DEFAULT.withMu(0.05f), RegulatedProjectionTest::isAdapter);
            for (int step = 1; step <= 3; step++) {
                setGradients(first, gradients(step, 4));
                original.step(first, 0.05f);
            }
            Map<String, NDArray> saved = new LinkedHashMap<>(original.stateDict());
            assertThat(saved).containsKeys("largo.step", "largo.layer.0.lora.anchor", "largo.layer.0.lora.c_prev",
                    "largo.layer.0.lora.n_prev", "largo.layer.0.lora.gamma", "base.step", "base.m.classifier.weight");

            List<TrainableTensor> second = new ArrayList<>();
            for (TrainableTensor t : first) {
                second.add(parameter(manager, t.name(), t.value().toFloatArray(), t.value().getShape().getShape()));
            }
            RegulatedProjection resumed = new RegulatedProjection(manager, new AdamW(manager, 0.01f),
                    LargoConfig.DEFAULT.withMu(0.05f), RegulatedProjectionTest::isAdapter);
            resumed.loadStateDict(saved, manager);
            assertThat(resumed.stepCount()).isEqualTo(3);
            assertThat(resumed.gammas()).isEqualTo(original.gammas());
            for (int step = 4; step <= 6; step++) {
                setGradients(first, gradients(step, 4));
                original.step(first, 0.05f);
                setGradients(second, gradients(step, 4));
                resumed.step(second, 0.05f);
                assertThat(resumed.gammas()).isEqualTo(original.gammas());
                for (int i = 0; i < first.size(); i++) {
                    assertThat(second.get(i).value().toFloatArray()).containsExactly(first.get(i).value().toFloatArray());
                }
            }
        }
    }

    @Test
    void stepsDoNotLeakArraysOntoLongLivedManagers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<TrainableTensor> params = tensors(manager, 5);
            RegulatedProjection largo = new RegulatedProjection(manager, new AdamW(manager, 0f), LargoConfig.DEFAULT,
                    RegulatedProjectionTest::isAdapter);
            setGradients(params, gradients(1, 5));
            largo.step(params, 0.01f);
            largo.step(params, 0.01f); // state complete after the second step
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 10; i++) {
                largo.step(params, 0.01f);
            }
            assertThat(manager.getManagedArrays().size()).isEqualTo(before);
            for (TrainableTensor t : params) {
                assertThat(t.value().getManager()).isSameAs(manager);
            }
        }
    }

    private static double[] rowNorms(float[] value, float[] anchor, long[] shape, DeviationNorm norm) {
        int rows = norm.rowWise() && shape.length >= 2 ? (int) shape[0] : 1;
        int cols = value.length / rows;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double d = value[r * cols + c] - (double) anchor[r * cols + c];
                sum += norm == DeviationNorm.L1_ROW ? Math.abs(d) : d * d;
            }
            out[r] = norm == DeviationNorm.L1_ROW ? sum : Math.sqrt(sum);
        }
        return out;
    }

    private static float[] values(SplittableRandom random, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    private static int size(long[] shape) {
        int size = 1;
        for (long d : shape) {
            size *= (int) d;
        }
        return size;
    }

    private static float[] negate(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = -values[i];
        }
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
