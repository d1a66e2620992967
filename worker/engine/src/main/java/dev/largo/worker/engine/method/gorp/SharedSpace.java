package dev.largo.worker.engine.method.gorp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.linalg.Svd;
import dev.largo.worker.engine.linalg.SvdResult;

/**
 * The stored orthonormal basis S (dim x size, columns orthonormal) of one parameter's shared gradient space
 * (worker/engine/docs/gorp.md), and the energy rule that grows it after each task (Gradient Projection Memory). Kept in float64
 * on the host; it is small (dim at most a layer's width, size at most dim).
 *
 * @param values row-major dim x size
 */
public record SharedSpace(int dim, int size, double[] values) {

    public SharedSpace {
        if (dim < 1 || size < 0 || size > dim || values.length != (long) dim * size) {
            throw new IllegalArgumentException("a shared space of " + size + " vectors in " + dim
                    + " dimensions needs " + ((long) dim * size) + " values, found " + values.length);
        }
    }

    public static SharedSpace empty(int dim) {
        return new SharedSpace(dim, 0, new double[0]);
    }

    /**
     * The space grown from a task's (bias-corrected) first moment {@code moment} (dim x cols, row-major; the
     * basis acts on its rows' dimension): with the residual M^ = M - S S^T M, append the left singular vectors
     * of M^ in order of their singular values until the energy the space captures, ||S^T M||^2 (old) plus the
     * new squared singular values, reaches {@code epsilon} ||M||_F^2. On the first task (S empty) this is the
     * smallest number of leading singular vectors of M whose energy reaches epsilon. Never more than dim
     * vectors; a zero moment adds none.
     */
    public SharedSpace grow(double[] moment, int cols, double epsilon) {
        if (moment.length != (long) dim * cols) {
            throw new IllegalArgumentException("moment has " + moment.length + " values, expected " + dim + " x " + cols);
        }
        double total = 0;
        for (double value : moment) {
            total += value * value;
        }
        if (!(total > 0) || size == dim) {
            return this;
        }
        double[] residual = moment.clone();
        double captured = 0;
        for (int j = 0; j < size; j++) {
            for (int c = 0; c < cols; c++) {
                double dot = 0;
                for (int i = 0; i < dim; i++) {
                    dot += values[i * size + j] * moment[i * cols + c];
                }
                captured += dot * dot;
                for (int i = 0; i < dim; i++) {
                    residual[i * cols + c] -= values[i * size + j] * dot;
                }
            }
        }
        if (captured >= epsilon * total) {
            return this;
        }
        SvdResult svd = Svd.exact(residual, dim, cols);
        java.util.List<double[]> columns = new java.util.ArrayList<>();
        for (int j = 0; j < size; j++) {
            columns.add(column(j));
        }
        for (int k = 0; k < svd.k() && captured < epsilon * total && columns.size() < dim; k++) {
            double sigma = svd.s()[k];
            if (!(sigma * sigma > 1e-12 * total)) {
                break;
            }
            double[] u = new double[dim];
            for (int i = 0; i < dim; i++) {
                u[i] = svd.u()[i * svd.k() + k];
            }
            // The residual is orthogonal to S, so u is too up to rounding (and to the float SVD's precision):
            // re-orthogonalise twice (classical Gram-Schmidt, "twice is enough") and normalise.
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : columns) {
                    double dot = 0;
                    for (int i = 0; i < dim; i++) {
                        dot += q[i] * u[i];
                    }
                    for (int i = 0; i < dim; i++) {
                        u[i] -= dot * q[i];
                    }
                }
            }
            double norm = 0;
            for (double x : u) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            if (!(norm > 1e-6)) {
                continue;
            }
            for (int i = 0; i < dim; i++) {
                u[i] /= norm;
            }
            columns.add(u);
            captured += (double) sigma * sigma;
        }
        double[] grown = new double[dim * columns.size()];
        for (int j = 0; j < columns.size(); j++) {
            double[] q = columns.get(j);
            for (int i = 0; i < dim; i++) {
                grown[i * columns.size() + j] = q[i];
            }
        }
        return new SharedSpace(dim, columns.size(), grown);
    }

    /** Column j of S. */
    public double[] column(int j) {
        double[] q = new double[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = values[i * size + j];
        }
        return q;
    }

    /** S as a float64 [dim, size] array (for checkpoints). */
    public NDArray toArray(NDManager manager) {
        return manager.create(values, new Shape(dim, size));
    }

    /** Reads back {@link #toArray}. */
    public static SharedSpace fromArray(NDArray array) {
        Shape shape = array.getShape();
        return new SharedSpace((int) shape.get(0), (int) shape.get(1), dev.largo.worker.engine.support.Arrays.toDoubles(array));
    }
}
