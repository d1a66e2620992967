package dev.largo.worker.engine.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The probe is checked numerically against its definition: at the returned point the gradient of the penalised
 * objective (written out again here, on the test's own standardisation) vanishes, and moving away in any
 * direction raises the objective.
 */
class LogisticProbeTest {

    @Test
    void theFitIsTheOptimumOfThePenalisedObjective() {
        FeatureMatrix features = blobs(400, 12, 4, 1.0, 3);
        LogisticProbe.Fit fit = LogisticProbe.fit(features, 4);
        assertThat(fit.candidates()).hasSize(LogisticProbe.LAMBDAS.length);
        double[] point = standardisedParameters(fit, features);
        double[] gradient = new double[point.length];
        double value = objective(features, fit.lambda(), point, gradient);
        double norm = 0;
        for (double g : gradient) {
            norm += g * g;
        }
        assertThat(Math.sqrt(norm)).as("gradient norm at the fit").isLessThan(1e-4);
        Random random = new Random(9);
        for (int trial = 0; trial < 10; trial++) {
            double[] moved = point.clone();
            for (int i = 0; i < moved.length; i++) {
                moved[i] += 1e-2 * random.nextGaussian();
            }
            assertThat(objective(features, fit.lambda(), moved, new double[point.length])).isGreaterThan(value);
        }
    }

    @Test
    void separableClassesAreFittedAndTheHeldOutScoreChoosesLambda() {
        FeatureMatrix easy = blobs(300, 8, 3, 0.2, 5);
        LogisticProbe.Fit fit = LogisticProbe.fit(easy, 3);
        assertThat(fit.trainAccuracy()).isEqualTo(1.0);
        assertThat(fit.heldOutAccuracy()).isEqualTo(1.0);
        double bestHeldOut = fit.candidates().stream().mapToDouble(LogisticProbe.Candidate::heldOutAccuracy).max()
                .orElseThrow();
        assertThat(fit.heldOutAccuracy()).isEqualTo(bestHeldOut);
        // Noisy classes: the selection must not simply take the weakest penalty.
        LogisticProbe.Fit noisy = LogisticProbe.fit(blobs(200, 40, 3, 3.0, 6), 3);
        assertThat(noisy.candidates().stream().filter(c -> c.lambda() == noisy.lambda()).findFirst().orElseThrow()
                .heldOutAccuracy()).isEqualTo(noisy.heldOutAccuracy());
    }

    @Test
    void theSameFeaturesGiveTheSameProbe() {
        FeatureMatrix features = blobs(120, 6, 3, 1.0, 8);
        LogisticProbe.Fit first = LogisticProbe.fit(features, 3);
        LogisticProbe.Fit second = LogisticProbe.fit(features, 3);
        assertThat(second.weight()).isEqualTo(first.weight());
        assertThat(second.bias()).isEqualTo(first.bias());
    }

    @Test
    void labelsOutsideTheClassesAreRefused() {
        FeatureMatrix features = new FeatureMatrix(2, 1, new double[] {0, 1}, new int[] {0, 3});
        assertThatThrownBy(() -> LogisticProbe.fit(features, 2)).hasMessageContaining("label 3 outside [0, 2)");
    }

    /** Gaussian blobs: class c centred at a random unit-scale mean, isotropic noise {@code spread}. */
    static FeatureMatrix blobs(int rows, int dim, int classes, double spread, long seed) {
        Random random = new Random(seed);
        double[][] centres = new double[classes][dim];
        for (double[] centre : centres) {
            for (int j = 0; j < dim; j++) {
                centre[j] = random.nextGaussian() * 2 + 5; // offset: the standardisation must handle a mean
            }
        }
        double[] values = new double[rows * dim];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                values[i * dim + j] = centres[labels[i]][j] + spread * random.nextGaussian() * (j + 1) / dim;
            }
        }
        return new FeatureMatrix(rows, dim, values, labels);
    }

    /** The fit's head on raw features mapped back to standardised features: W_z = W * std, b_z = b + W mean. */
    private static double[] standardisedParameters(LogisticProbe.Fit fit, FeatureMatrix features) {
        double[][] stats = stats(features);
        int dim = fit.dim();
        double[] point = new double[fit.classes() * (dim + 1)];
        for (int c = 0; c < fit.classes(); c++) {
            double b = fit.bias()[c];
            for (int j = 0; j < dim; j++) {
                point[c * dim + j] = fit.weight()[c * dim + j] * stats[1][j];
                b += fit.weight()[c * dim + j] * stats[0][j];
            }
            point[fit.classes() * dim + c] = b;
        }
        return point;
    }

    /** {mean, std} per feature. */
    private static double[][] stats(FeatureMatrix f) {
        double[] mean = new double[f.dim()];
        double[] std = new double[f.dim()];
        for (int i = 0; i < f.rows(); i++) {
            for (int j = 0; j < f.dim(); j++) {
                mean[j] += f.values()[i * f.dim() + j] / f.rows();
            }
        }
        for (int i = 0; i < f.rows(); i++) {
            for (int j = 0; j < f.dim(); j++) {
                double d = f.values()[i * f.dim() + j] - mean[j];
                std[j] += d * d / f.rows();
            }
        }
        for (int j = 0; j < f.dim(); j++) {
            std[j] = Math.sqrt(std[j]);
        }
        return new double[][] {mean, std};
    }

    /** Mean softmax cross-entropy + lambda/2 ||W||^2 on standardised features, and its gradient. */
    private static double objective(FeatureMatrix f, double lambda, double[] p, double[] gradient) {
        double[][] stats = stats(f);
        int dim = f.dim();
        int classes = p.length / (dim + 1);
        double total = 0;
        for (int i = 0; i < f.rows(); i++) {
            double[] z = new double[dim];
            for (int j = 0; j < dim; j++) {
                z[j] = (f.values()[i * dim + j] - stats[0][j]) / stats[1][j];
            }
            double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                logits[c] = p[classes * dim + c];
                for (int j = 0; j < dim; j++) {
                    logits[c] += p[c * dim + j] * z[j];
                }
                max = Math.max(max, logits[c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[c] - max);
            }
            total += max + Math.log(sum) - logits[f.labels()[i]];
            for (int c = 0; c < classes; c++) {
                double r = Math.exp(logits[c] - max) / sum - (c == f.labels()[i] ? 1 : 0);
                for (int j = 0; j < dim; j++) {
                    gradient[c * dim + j] += r * z[j] / f.rows();
                }
                gradient[classes * dim + c] += r / f.rows();
            }
        }
        double penalty = 0;
        for (int k = 0; k < classes * dim; k++) {
            penalty += p[k] * p[k];
            gradient[k] += lambda * p[k];
        }
        return total / f.rows() + 0.5 * lambda * penalty;
    }
}
