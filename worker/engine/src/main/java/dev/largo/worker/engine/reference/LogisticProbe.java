package dev.largo.worker.engine.reference;

import com.github.lbfgs4j.liblbfgs.Lbfgs;
import com.github.lbfgs4j.liblbfgs.LbfgsConstant;
import com.github.lbfgs4j.liblbfgs.MutableDouble;
import java.util.ArrayList;
import java.util.List;

/**
 * A multinomial logistic regression on frozen features, fitted to convergence by L-BFGS (liblbfgs' port), with
 * its L2 strength chosen on held-out training rows: features in, a fitted probe and its accuracy out.
 *
 * <p>Why not a few epochs of SGD (what the base reference used to be): that probe's accuracy depends on the
 * learning rate, the epoch count and the seed, so the "gain over the base" a job shows depended on them too. The
 * problem is convex: its optimum for a given L2 strength is unique, so the fit here depends on the features alone,
 * not on any seed or schedule.
 *
 * <p>Procedure: features are standardised (mean 0, std 1 over all given rows; a constant feature stays 0); the
 * objective is mean cross-entropy + (lambda / 2) ||W||^2 (bias unpenalised). Every fifth row (row index % 5 == 4)
 * is held out; each lambda of {@link #LAMBDAS} is fitted on the other rows (largest first, each warm-started from
 * the previous one) and scored by held-out accuracy (ties: lower held-out loss, then the larger lambda); the
 * chosen lambda is refitted on all rows. With fewer than {@link #MIN_ROWS_FOR_SELECTION} rows there is nothing
 * to hold out and {@link #DEFAULT_LAMBDA} is used. The returned head works on the raw features (the
 * standardisation is folded into W and b).
 */
public final class LogisticProbe {

    /** The L2 strengths tried, strongest first. */
    public static final double[] LAMBDAS = {1.0, 1e-1, 1e-2, 1e-3, 1e-4};
    public static final double DEFAULT_LAMBDA = 1e-2;
    public static final int MIN_ROWS_FOR_SELECTION = 20;
    /** liblbfgs' convergence test: ||g|| < epsilon * max(1, ||x||). */
    static final double EPSILON = 1e-6;
    static final int MAX_ITERATIONS = 2000;

    /**
     * The fitted probe.
     *
     * @param weight classes x dim, row-major, on raw features
     * @param bias classes
     * @param lambda the L2 strength chosen
     * @param heldOutAccuracy accuracy on the held-out rows of the chosen lambda's fit (NaN without selection)
     * @param trainAccuracy accuracy of the final fit on all given rows
     * @param candidates every lambda tried, with its held-out accuracy
     */
    public record Fit(int classes, int dim, double[] weight, double[] bias, double lambda, double heldOutAccuracy,
                      double trainAccuracy, List<Candidate> candidates) {
    }

    /** One lambda of the selection and its held-out accuracy. */
    public record Candidate(double lambda, double heldOutAccuracy, double heldOutLoss) {
    }

    private LogisticProbe() {
    }

    public static Fit fit(FeatureMatrix features, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a probe needs at least 2 classes, got " + classes);
        }
        for (int label : features.labels()) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
        }
        Standardised z = Standardised.of(features);
        double lambda = DEFAULT_LAMBDA;
        double heldOut = Double.NaN;
        List<Candidate> candidates = new ArrayList<>();
        if (features.rows() >= MIN_ROWS_FOR_SELECTION) {
            int[] fitRows = rows(features.rows(), false);
            int[] heldRows = rows(features.rows(), true);
            double[] params = new double[classes * (z.dim + 1)];
            Candidate best = null;
            for (double candidate : LAMBDAS) {
                params = minimise(z, fitRows, classes, candidate, params);
                Candidate scored = score(z, heldRows, classes, params, candidate);
                candidates.add(scored);
                if (best == null || scored.heldOutAccuracy() > best.heldOutAccuracy()
                        || scored.heldOutAccuracy() == best.heldOutAccuracy()
                        && scored.heldOutLoss() < best.heldOutLoss()) {
                    best = scored;
                }
            }
            lambda = best.lambda();
            heldOut = best.heldOutAccuracy();
        }
        int[] all = new int[features.rows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        double[] params = minimise(z, all, classes, lambda, new double[classes * (z.dim + 1)]);
        double train = score(z, all, classes, params, lambda).heldOutAccuracy();
        return z.unstandardise(params, classes, lambda, heldOut, train, candidates);
    }

    /** Row indices held out ({@code heldOut}) or kept for fitting. */
    private static int[] rows(int count, boolean heldOut) {
        return java.util.stream.IntStream.range(0, count).filter(i -> (i % 5 == 4) == heldOut).toArray();
    }

    /** L-BFGS from {@code start}; params are [W (classes x dim) | b (classes)]. */
    private static double[] minimise(Standardised z, int[] rows, int classes, double lambda, double[] start) {
        double[] x = start.clone();
        LbfgsConstant.LBFGS_Param param = new LbfgsConstant.LBFGS_Param(Lbfgs.defaultParams());
        param.epsilon = EPSILON;
        param.max_iterations = MAX_ITERATIONS;
        MutableDouble value = new MutableDouble();
        LbfgsConstant.LBFGS_Evaluate objective = (instance, point, gradient, n, step) ->
                objective(z, rows, classes, lambda, point, gradient);
        LbfgsConstant.ReturnValue result = Lbfgs.lbfgs(x.length, x, value, objective, null, null, param);
        // ROUNDING_ERROR / MAXIMUMLINESEARCH mean the line search could not improve in double precision: the point
        // is at the optimum to machine precision. Anything else that is not success is a real failure.
        if (result.val < 0 && result != LbfgsConstant.ReturnValue.LBFGSERR_ROUNDING_ERROR
                && result != LbfgsConstant.ReturnValue.LBFGSERR_MAXIMUMLINESEARCH
                && result != LbfgsConstant.ReturnValue.LBFGSERR_MAXIMUMITERATION) {
            throw new ArithmeticException("L-BFGS failed for the base-reference probe: " + result);
        }
        return x;
    }

    /** Mean cross-entropy + (lambda / 2) ||W||^2 over {@code rows}; writes the gradient. */
    static double objective(Standardised z, int[] rows, int classes, double lambda, double[] params,
                            double[] gradient) {
        int dim = z.dim;
        java.util.Arrays.fill(gradient, 0);
        double[] scores = new double[classes];
        double loss = 0;
        int biasOffset = classes * dim;
        for (int row : rows) {
            int offset = row * dim;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = params[biasOffset + c];
                int w = c * dim;
                for (int j = 0; j < dim; j++) {
                    s += params[w + j] * z.values[offset + j];
                }
                scores[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                scores[c] = Math.exp(scores[c] - max);
                sum += scores[c];
            }
            int label = z.labels[row];
            loss += Math.log(sum) - Math.log(scores[label]);
            for (int c = 0; c < classes; c++) {
                double residual = scores[c] / sum - (c == label ? 1 : 0);
                int w = c * dim;
                for (int j = 0; j < dim; j++) {
                    gradient[w + j] += residual * z.values[offset + j];
                }
                gradient[biasOffset + c] += residual;
            }
        }
        double n = rows.length;
        double penalty = 0;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] /= n;
            if (i < biasOffset) {
                gradient[i] += lambda * params[i];
                penalty += params[i] * params[i];
            }
        }
        return loss / n + 0.5 * lambda * penalty;
    }

    private static Candidate score(Standardised z, int[] rows, int classes, double[] params, double lambda) {
        int dim = z.dim;
        int correct = 0;
        double loss = 0;
        double[] scores = new double[classes];
        for (int row : rows) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double s = params[classes * dim + c];
                for (int j = 0; j < dim; j++) {
                    s += params[c * dim + j] * z.values[row * dim + j];
                }
                scores[c] = s;
                if (s > max) {
                    max = s;
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(scores[c] - max);
            }
            loss += Math.log(sum) - (scores[z.labels[row]] - max);
            correct += best == z.labels[row] ? 1 : 0;
        }
        return new Candidate(lambda, (double) correct / rows.length, loss / rows.length);
    }

    /** Features standardised column by column. */
    static final class Standardised {
        final int dim;
        final double[] values;
        final int[] labels;
        final double[] mean;
        final double[] scale;

        private Standardised(int dim, double[] values, int[] labels, double[] mean, double[] scale) {
            this.dim = dim;
            this.values = values;
            this.labels = labels;
            this.mean = mean;
            this.scale = scale;
        }

        static Standardised of(FeatureMatrix features) {
            int rows = features.rows();
            int dim = features.dim();
            double[] raw = features.values();
            double[] mean = new double[dim];
            double[] scale = new double[dim];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dim; j++) {
                    mean[j] += raw[i * dim + j];
                }
            }
            for (int j = 0; j < dim; j++) {
                mean[j] /= rows;
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dim; j++) {
                    double d = raw[i * dim + j] - mean[j];
                    scale[j] += d * d;
                }
            }
            for (int j = 0; j < dim; j++) {
                double std = Math.sqrt(scale[j] / rows);
                scale[j] = std > 1e-12 ? std : 1; // a constant feature carries nothing; keep it at 0
            }
            double[] values = new double[raw.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < dim; j++) {
                    values[i * dim + j] = (raw[i * dim + j] - mean[j]) / scale[j];
                }
            }
            return new Standardised(dim, values, features.labels(), mean, scale);
        }

        /** W z + b with z = (x - mean) / scale is (W / scale) x + (b - sum_j W_j mean_j / scale_j). */
        Fit unstandardise(double[] params, int classes, double lambda, double heldOut, double train,
                          List<Candidate> candidates) {
            double[] weight = new double[classes * dim];
            double[] bias = new double[classes];
            for (int c = 0; c < classes; c++) {
                double b = params[classes * dim + c];
                for (int j = 0; j < dim; j++) {
                    double w = params[c * dim + j] / scale[j];
                    weight[c * dim + j] = w;
                    b -= w * mean[j];
                }
                bias[c] = b;
            }
            return new Fit(classes, dim, weight, bias, lambda, heldOut, train, List.copyOf(candidates));
        }
    }
}
