package dev.largo.worker.engine.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SvdTest {

    @Test
    void exactReconstructsWithDescendingValuesAndOrthonormalFactors() {
        for (int[] dims : new int[][] {{7, 5}, {5, 7}, {6, 6}}) {
            int rows = dims[0];
            int cols = dims[1];
            double[] w = random(rows * cols, rows * 31L + cols);
            SvdResult svd = Svd.exact(w, rows, cols);
            assertThat(svd.k()).isEqualTo(Math.min(rows, cols));
            double[] back = svd.reconstruct();
            for (int i = 0; i < w.length; i++) {
                assertThat(back[i]).isCloseTo(w[i], within(1e-5));
            }
            for (int i = 1; i < svd.k(); i++) {
                assertThat(svd.s()[i]).isLessThanOrEqualTo(svd.s()[i - 1]);
            }
            assertOrthonormalColumns(svd.u(), rows, svd.k());
            assertOrthonormalRows(svd.vt(), svd.k(), cols);
        }
    }

    @Test
    void randomizedTopROfALowRankMatrixStillReconstructsIt() {
        // rank 2 < r + p: the sketch is rank-deficient, as for a zero-initialised or tied weight
        int m = 24;
        int n = 16;
        double[] w = withSpectrum(m, n, new double[] {3, 1}, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(toFloats(w), new Shape(m, n));
            SvdResult top = Svd.randomizedTopR(weight, 4, 17);
            assertThat(top.k()).isEqualTo(4);
            assertThat((double) top.s()[0]).isCloseTo(3, within(1e-4));
            assertThat((double) top.s()[1]).isCloseTo(1, within(1e-4));
            assertThat((double) top.s()[2]).isCloseTo(0, within(1e-4));
            double[] approx = top.reconstruct();
            for (int i = 0; i < approx.length; i++) {
                assertThat(approx[i]).isCloseTo(w[i], within(1e-4));
            }
            NDArray zero = manager.zeros(new Shape(m, n));
            assertThat(Svd.randomizedTopR(zero, 4, 17).s()).containsOnly(0f);
        }
    }

    @Test
    void randomizedTopRMatchesTheExactSpectrumOfAKnownMatrix() {
        int m = 192;
        int n = 128;
        int r = 8;
        double[] spectrum = new double[n];
        for (int i = 0; i < n; i++) {
            spectrum[i] = 10 * Math.pow(0.75, i);
        }
        double[] w = withSpectrum(m, n, spectrum, 3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(toFloats(w), new Shape(m, n));
            float[] before = weight.toFloatArray();
            SvdResult top = Svd.randomizedTopR(weight, r, Svd.DEFAULT_OVERSAMPLE, Svd.DEFAULT_POWER_ITERATIONS, 17);
            assertThat(top.k()).isEqualTo(r);
            for (int i = 0; i < r; i++) {
                assertThat((double) top.s()[i]).as("sigma %d", i).isCloseTo(spectrum[i], within(spectrum[i] * 1e-3));
            }
            assertOrthonormalColumns(top.u(), m, r);
            assertOrthonormalRows(top.vt(), r, n);
            // Same best rank-r approximation as the exact decomposition.
            double[] exactApprox = Svd.largestR(weight, r).reconstruct();
            double[] approx = top.reconstruct();
            for (int i = 0; i < approx.length; i++) {
                assertThat(approx[i]).isCloseTo(exactApprox[i], within(2e-3));
            }
            // Seeded, and the input is neither changed nor detached from its manager.
            assertThat(Svd.randomizedTopR(weight, r, 17).s()).containsExactly(top.s());
            assertThat(weight.getManager()).isSameAs(manager);
            assertThat(weight.toFloatArray()).containsExactly(before);
        }
    }

    @Test
    void smallestRTakesTheTailOfTheSpectrum() {
        double[] spectrum = {9, 7, 5, 3, 2, 1};
        double[] w = withSpectrum(10, 6, spectrum, 8);
        SvdResult tail = Svd.smallestR(w, 10, 6, 2);
        assertThat(tail.s()[0]).isCloseTo(2f, within(1e-5f));
        assertThat(tail.s()[1]).isCloseTo(1f, within(1e-5f));
        assertOrthonormalColumns(tail.u(), 10, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            SvdResult viaArray = Svd.smallestR(manager.create(toFloats(w), new Shape(10, 6)), 2);
            assertThat(viaArray.s()[1]).isCloseTo(1f, within(1e-5f));
        }
    }

    /** W = Q1 diag(s) Q2^T with random orthonormal Q1 (m x k), Q2 (n x k). */
    static double[] withSpectrum(int m, int n, double[] s, long seed) {
        int k = s.length;
        SvdResult q1 = Svd.exact(random(m * k, seed), m, k);
        SvdResult q2 = Svd.exact(random(n * k, seed + 1), n, k);
        double[] w = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    sum += q1.u()[i * k + t] * s[t] * (double) q2.u()[j * k + t];
                }
                w[i * n + j] = sum;
            }
        }
        return w;
    }

    static double[] random(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static void assertOrthonormalColumns(float[] a, int rows, int cols) {
        for (int p = 0; p < cols; p++) {
            for (int q = 0; q < cols; q++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += (double) a[i * cols + p] * a[i * cols + q];
                }
                assertThat(dot).isCloseTo(p == q ? 1 : 0, within(1e-4));
            }
        }
    }

    private static void assertOrthonormalRows(float[] a, int rows, int cols) {
        for (int p = 0; p < rows; p++) {
            for (int q = 0; q < rows; q++) {
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += (double) a[p * cols + j] * a[q * cols + j];
                }
                assertThat(dot).isCloseTo(p == q ? 1 : 0, within(1e-4));
            }
        }
    }
}
