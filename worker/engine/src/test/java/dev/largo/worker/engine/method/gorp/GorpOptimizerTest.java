package dev.largo.worker.engine.method.gorp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.linalg.Svd;
import dev.largo.worker.engine.linalg.SvdResult;
import dev.largo.worker.engine.optim.OptimTestSupport;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GORP's update rule on real gradients, against a direct computation of worker/engine/docs/gorp.md's formulas (§2). */
class GorpOptimizerTest {

    private static final Random RANDOM = new Random(17);

    @Test
    void projectedGradientOfAFullRankWeightHasNoComponentInTheSharedSpace() {
        for (int[] shape : new int[][] {{9, 5}, {4, 7}}) {
            int m = shape[0];
            int n = shape[1];
            boolean right = m >= n;
            int dim = right ? m : n;
            SharedSpace space = SharedSpace.empty(dim).grow(random(dim * 3), 3, 0.99);
            assertThat(space.size()).isBetween(1, 3);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray gradient = manager.create(random(m * n), new ai.djl.ndarray.types.Shape(m, n));
                NDArray basis = space.toArray(manager);
                SvdResult svd = Svd.exact(gradient);
                NDArray projector = right ? svd.vtArray(manager).get("0:3, :").toType(DataType.FLOAT64, false)
                        : svd.uArray(manager).get(":, 0:3").toType(DataType.FLOAT64, false);
                NDArray compressed = GradientProjection.compress(gradient, projector, right);
                NDArray projected = GradientProjection.removeShared(compressed, basis, right);
                NDArray inSpace = right ? basis.transpose().matMul(projected) : projected.matMul(basis);
                assertThat(maxAbs(inSpace)).as("shape %dx%d", m, n).isLessThan(1e-12);
                // What is removed is exactly the shared component: the rest is untouched.
                NDArray removed = compressed.sub(projected);
                NDArray again = GradientProjection.sharedComponent(removed, basis, right);
                assertThat(maxAbs(again.sub(removed))).isLessThan(1e-12);
            }
        }
    }

    @Test
    void optimizerMomentsOfProjectedParametersStayOutsideTheirSharedSpaces() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Protected fixture = Protected.create(manager, 0f);
            List<TrainableTensor> tensors = fixture.tensors();
            for (int step = 0; step < 5; step++) {
                fixture.step();
            }
            Map<String, NDArray> state = fixture.optimizer().stateDict();
            NDArray weightMoment = state.get("galore.m.w").toType(DataType.FLOAT64, false);
            NDArray aMoment = state.get("adam.m.a").toType(DataType.FLOAT64, false);
            NDArray s = fixture.weightSpace().toArray(manager);
            NDArray sa = fixture.aSpace().toArray(manager);
            double scale = maxAbs(weightMoment);
            assertThat(scale).isGreaterThan(1e-3);
            assertThat(maxAbs(s.transpose().matMul(weightMoment))).isLessThan(1e-5 * scale);
            assertThat(maxAbs(aMoment.matMul(sa))).isLessThan(1e-5 * maxAbs(aMoment));
            // Without a shared space, A's gradient is not projected: its moment has a component there.
            GorpOptimizer plain = new GorpOptimizer(manager.newSubManager(), fixture.config(), 0f, 1e-2, Set.of("w"),
                    Map.of(), DataType.FLOAT32);
            OptimTestSupport.setGradients(tensors, List.of(floats(Protected.M * Protected.N),
                    floats(Protected.R * Protected.N)));
            plain.step(tensors, 1e-2f);
            NDArray plainMoment = plain.stateDict().get("adam.m.a").toType(DataType.FLOAT64, false);
            assertThat(maxAbs(plainMoment.matMul(sa))).isGreaterThan(1e-3 * maxAbs(plainMoment));
        }
    }

    /**
     * What GORP protects is the model, so the test is on the UPDATE: after every step (weight decay on), the change
     * of a full-rank weight and of a LoRA A has no component in its shared space. The gradient projection alone
     * does not give this: Adam's direction m^ / (sqrt(v^) + eps) computed from the (projected) moments has a
     * clear component there, which is what the update was before it was projected.
     */
    @Test
    void theUpdateOfProtectedTensorsStaysOutsideTheirSharedSpaces() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Protected fixture = Protected.create(manager, 0.1f);
            TrainableTensor weight = fixture.weight();
            TrainableTensor a = fixture.a();
            NDArray s = fixture.weightSpace().toArray(manager);
            NDArray sa = fixture.aSpace().toArray(manager);
            for (int step = 0; step < 5; step++) {
                NDArray weightBefore = weight.value().toType(DataType.FLOAT64, false);
                NDArray aBefore = a.value().toType(DataType.FLOAT64, false);
                fixture.step();
                NDArray weightDelta = weight.value().toType(DataType.FLOAT64, false).sub(weightBefore);
                NDArray aDelta = a.value().toType(DataType.FLOAT64, false).sub(aBefore);
                assertThat(maxAbs(weightDelta)).as("step %d moves w", step).isGreaterThan(1e-4);
                assertThat(maxAbs(aDelta)).as("step %d moves a", step).isGreaterThan(1e-4);
                // float32 weights near 1: what is left is their rounding (ulp/2 = 6e-8 per element, 1e-5 of a step
                // of 5e-3), two orders below the 1e-2 Adam's own direction has there (last assertion)
                assertThat(maxAbs(s.transpose().matMul(weightDelta))).as("w step %d", step)
                        .isLessThan(1e-4 * maxAbs(weightDelta));
                assertThat(maxAbs(aDelta.matMul(sa))).as("a step %d", step).isLessThan(1e-4 * maxAbs(aDelta));
            }
            Map<String, NDArray> state = fixture.optimizer().stateDict();
            long t = fixture.optimizer().stepCount();
            NDArray mHat = state.get("adam.m.a").toType(DataType.FLOAT64, false).div(1 - Math.pow(0.9, t));
            NDArray vHat = state.get("adam.v.a").toType(DataType.FLOAT64, false).div(1 - Math.pow(0.999, t));
            NDArray adamDirection = mHat.div(vHat.sqrt().add(1e-8));
            assertThat(maxAbs(adamDirection.matMul(sa))).as("Adam's own direction leaves the complement")
                    .isGreaterThan(1e-2 * maxAbs(adamDirection));
        }
    }

    /** A full-rank weight w (8 x 5) and a LoRA A a (2 x 5), each with a random shared space, under GORP's optimizer. */
    private record Protected(GorpConfig config, TrainableTensor weight, TrainableTensor a, SharedSpace weightSpace,
                             SharedSpace aSpace, GorpOptimizer optimizer) {
        static final int M = 8;
        static final int N = 5;
        static final int R = 2;

        static Protected create(NDManager manager, float weightDecay) {
            GorpConfig config = new GorpConfig(R, 4, List.of("query"), List.of("intermediate.dense"), 3, 2, 0.25, 0.9,
                    null);
            SharedSpace weightSpace = SharedSpace.empty(M).grow(random(M * 2), 2, 0.99);
            SharedSpace aSpace = SharedSpace.empty(N).grow(random(N * 2), 2, 0.99);
            TrainableTensor weight = OptimTestSupport.parameter(manager, "w", floats(M * N), M, N);
            TrainableTensor a = OptimTestSupport.parameter(manager, "a", floats(R * N), R, N);
            GorpOptimizer optimizer = new GorpOptimizer(manager.newSubManager(), config, weightDecay, 1e-2,
                    Set.of("w"), Map.of("w", weightSpace, "a", aSpace), DataType.FLOAT32);
            return new Protected(config, weight, a, weightSpace, aSpace, optimizer);
        }

        List<TrainableTensor> tensors() {
            return List.of(weight, a);
        }

        /** One step on fresh random gradients, at learning rate 1e-2. */
        void step() {
            OptimTestSupport.setGradients(tensors(), List.of(floats(M * N), floats(R * N)));
            optimizer.step(tensors(), 1e-2f);
        }
    }

    @Test
    void firstFullRankStepIsTheGaloreUpdateOfGorpMd() {
        int m = 7;
        int n = 4;
        int k = 2;
        float lr = 0.01f;
        GorpConfig config = new GorpConfig(2, 4, List.of(), List.of("dense"), k, 10, 0.25, 0.9, null);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] initial = floats(m * n);
            float[] gradient = floats(m * n);
            TrainableTensor weight = OptimTestSupport.parameter(manager, "w", initial.clone(), m, n);
            GorpOptimizer optimizer = new GorpOptimizer(manager.newSubManager(), config, 0f, lr, Set.of("w"), Map.of(),
                    DataType.FLOAT32);
            OptimTestSupport.setGradients(List.of(weight), List.of(gradient));
            optimizer.step(List.of(weight), lr);

            // Q = top-k right singular vectors of G (m >= n); G~ = G Q^T; Adam's first direction is
            // G~ / (|G~| + eps) elementwise; W <- W - lr * 0.25 * N Q.
            double[] g = new double[m * n];
            for (int i = 0; i < g.length; i++) {
                g[i] = gradient[i];
            }
            SvdResult svd = Svd.exact(g, m, n);
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                double[] direction = new double[k];
                for (int c = 0; c < k; c++) {
                    double compressed = 0;
                    for (int j = 0; j < n; j++) {
                        compressed += g[i * n + j] * svd.vt()[c * n + j];
                    }
                    direction[c] = compressed / (Math.abs(compressed) + 1e-8);
                }
                for (int j = 0; j < n; j++) {
                    double update = 0;
                    for (int c = 0; c < k; c++) {
                        update += direction[c] * svd.vt()[c * n + j];
                    }
                    expected[i * n + j] = initial[i * n + j] - lr * 0.25 * update;
                }
            }
            double[] actual = Arrays.toDoubles(weight.value());
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-6));
            }
            assertThat(actual).isNotEqualTo(toDoubles(initial));
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        GorpConfig config = new GorpConfig(2, 4, List.of(), List.of("dense"), 2, 3, 0.25, 0.9, null);
        SharedSpace space = SharedSpace.empty(6).grow(random(6 * 2), 2, 0.9);
        float[] start = floats(6 * 4);
        List<float[]> gradients = List.of(floats(24), floats(24), floats(24), floats(24), floats(24));
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainableTensor straight = OptimTestSupport.parameter(manager, "w", start.clone(), 6, 4);
            GorpOptimizer first = new GorpOptimizer(manager.newSubManager(), config, 0.01f, 0.01, Set.of("w"),
                    Map.of("w", space), DataType.FLOAT32);
            TrainableTensor resumed = OptimTestSupport.parameter(manager, "w", start.clone(), 6, 4);
            GorpOptimizer before = new GorpOptimizer(manager.newSubManager(), config, 0.01f, 0.01, Set.of("w"),
                    Map.of("w", space), DataType.FLOAT32);
            for (int step = 0; step < gradients.size(); step++) {
                OptimTestSupport.setGradients(List.of(straight), List.of(gradients.get(step)));
                first.step(List.of(straight), 0.01f);
                if (step == 2) {
                    GorpOptimizer after = new GorpOptimizer(manager.newSubManager(), config, 0.01f, 0.01, Set.of("w"),
                            Map.of("w", space), DataType.FLOAT32);
                    after.loadStateDict(before.stateDict(), manager.newSubManager());
                    before = after;
                }
                OptimTestSupport.setGradients(List.of(resumed), List.of(gradients.get(step)));
                before.step(List.of(resumed), 0.01f);
            }
            assertThat(resumed.value().toFloatArray()).containsExactly(straight.value().toFloatArray());
        }
    }

    private static double maxAbs(NDArray array) {
        double max = 0;
        for (double value : Arrays.toDoubles(array)) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }

    private static double[] random(int count) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = RANDOM.nextGaussian();
        }
        return values;
    }

    private static float[] floats(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) RANDOM.nextGaussian();
        }
        return values;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
