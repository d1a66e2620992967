package dev.largo.worker.engine.method.gorp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The energy rule of worker/engine/docs/gorp.md §3 (Gradient Projection Memory), checked against moments with known spectra. */
class SharedSpaceTest {

    private static final Random RANDOM = new Random(5);

    @Test
    void firstTaskKeepsTheFewestLeadingSingularVectorsReachingTheEnergyThreshold() {
        int dim = 12;
        int cols = 5;
        double[] sigma = {3, 2, 1, 0.5, 0.25};
        double[][] u = orthonormal(dim, 5);
        double[] moment = compose(u, sigma, orthonormal(cols, 5), dim, cols);
        // energies 9, 4, 1, 0.25, 0.0625 of 14.3125: 9 + 4 = 13 >= 0.9 * 14.3125 = 12.88 (9 alone is 0.63)
        SharedSpace space = SharedSpace.empty(dim).grow(moment, cols, 0.9);
        assertThat(space.size()).isEqualTo(2);
        assertOrthonormal(space);
        // The kept vectors span the top two left singular vectors.
        for (int k = 0; k < 2; k++) {
            assertThat(normOfProjection(space, u[k])).isCloseTo(1.0, within(1e-5));
        }
        // A higher threshold keeps more: 9 + 4 + 1 = 14 >= 0.97 * 14.3125 = 13.88.
        assertThat(SharedSpace.empty(dim).grow(moment, cols, 0.97).size()).isEqualTo(3);
        assertThat(SharedSpace.empty(dim).grow(moment, cols, 0.6).size()).isEqualTo(1);
    }

    @Test
    void laterTasksAddResidualDirectionsOnlyUntilOldPlusNewEnergyReachesTheThreshold() {
        int dim = 10;
        int cols = 4;
        double[][] basisVectors = orthonormal(dim, 6);
        double[] first = compose(new double[][] {basisVectors[0], basisVectors[1]}, new double[] {2, 1},
                orthonormal(cols, 2), dim, cols);
        SharedSpace space = SharedSpace.empty(dim).grow(first, cols, 0.99);
        assertThat(space.size()).isEqualTo(2);

        // A moment inside the stored space captures all its energy already: nothing is added.
        double[] inside = compose(new double[][] {basisVectors[1], basisVectors[0]}, new double[] {5, 3},
                orthonormal(cols, 2), dim, cols);
        assertThat(space.grow(inside, cols, 0.9).size()).isEqualTo(2);

        // Old energy 4 (along e0), residual energies 4 (e2) and 1 (e3) of 9: 4/9 < 0.9; 8/9 < 0.9; 9/9 >= 0.9.
        double[] later = compose(new double[][] {basisVectors[0], basisVectors[2], basisVectors[3]},
                new double[] {2, 2, 1}, orthonormal(cols, 3), dim, cols);
        SharedSpace grown = space.grow(later, cols, 0.9);
        assertThat(grown.size()).isEqualTo(4);
        assertOrthonormal(grown);
        // The old vectors stay first and unchanged.
        for (int j = 0; j < 2; j++) {
            assertThat(grown.column(j)).containsExactly(space.column(j), within(0.0));
        }
        assertThat(normOfProjection(grown, basisVectors[2])).isCloseTo(1.0, within(1e-5));
        assertThat(normOfProjection(grown, basisVectors[3])).isCloseTo(1.0, within(1e-5));
        // With epsilon 0.85, 8/9 = 0.89 suffices: e3 is left out.
        assertThat(space.grow(later, cols, 0.85).size()).isEqualTo(3);
    }

    @Test
    void neverGrowsPastTheDimension() {
        int dim = 4;
        SharedSpace space = SharedSpace.empty(dim);
        for (int task = 0; task < 6; task++) {
            double[] moment = new double[dim * 3];
            for (int i = 0; i < moment.length; i++) {
                moment[i] = RANDOM.nextGaussian();
            }
            space = space.grow(moment, 3, 1.0);
            assertThat(space.size()).isLessThanOrEqualTo(dim);
            assertOrthonormal(space);
        }
        assertThat(space.size()).isEqualTo(dim);
        assertThat(space.grow(new double[dim * 3], 3, 1.0)).isSameAs(space);
    }

    @Test
    void zeroMomentAddsNothing() {
        assertThat(SharedSpace.empty(3).grow(new double[6], 2, 0.9).size()).isZero();
    }

    static double[][] orthonormal(int dim, int count) {
        double[][] vectors = new double[count][dim];
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < dim; i++) {
                vectors[k][i] = RANDOM.nextGaussian();
            }
            for (int j = 0; j < k; j++) {
                double dot = dot(vectors[k], vectors[j]);
                for (int i = 0; i < dim; i++) {
                    vectors[k][i] -= dot * vectors[j][i];
                }
            }
            double norm = Math.sqrt(dot(vectors[k], vectors[k]));
            for (int i = 0; i < dim; i++) {
                vectors[k][i] /= norm;
            }
        }
        return vectors;
    }

    /** sum_k sigma_k u_k v_k^T, row-major dim x cols. */
    static double[] compose(double[][] u, double[] sigma, double[][] v, int dim, int cols) {
        double[] m = new double[dim * cols];
        for (int k = 0; k < sigma.length; k++) {
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < cols; j++) {
                    m[i * cols + j] += sigma[k] * u[k][i] * v[k][j];
                }
            }
        }
        return m;
    }

    static double normOfProjection(SharedSpace space, double[] vector) {
        double sum = 0;
        for (int j = 0; j < space.size(); j++) {
            double dot = dot(space.column(j), vector);
            sum += dot * dot;
        }
        return Math.sqrt(sum);
    }

    static void assertOrthonormal(SharedSpace space) {
        for (int a = 0; a < space.size(); a++) {
            for (int b = 0; b < space.size(); b++) {
                assertThat(dot(space.column(a), space.column(b))).isCloseTo(a == b ? 1.0 : 0.0, within(1e-9));
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
