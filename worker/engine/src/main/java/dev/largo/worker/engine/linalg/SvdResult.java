package dev.largo.worker.engine.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A (possibly truncated) singular value decomposition W ~ U diag(S) V^T of a rows x cols matrix,
 * keeping k singular triplets. All arrays are row-major.
 *
 * @param u rows x k, orthonormal columns
 * @param s k singular values
 * @param vt k x cols, orthonormal rows
 */
public record SvdResult(int rows, int cols, int k, float[] u, float[] s, float[] vt) {

    public SvdResult {
        if (u.length != rows * k || s.length != k || vt.length != k * cols) {
            throw new IllegalArgumentException("inconsistent SVD sizes");
        }
    }

    public NDArray uArray(NDManager manager) {
        return manager.create(u, new Shape(rows, k));
    }

    public NDArray sArray(NDManager manager) {
        return manager.create(s, new Shape(k));
    }

    public NDArray vtArray(NDManager manager) {
        return manager.create(vt, new Shape(k, cols));
    }

    /** U diag(S) V^T in double precision, row-major rows x cols. */
    public double[] reconstruct() {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                double us = (double) u[i * k + j] * s[j];
                for (int c = 0; c < cols; c++) {
                    out[i * cols + c] += us * vt[j * cols + c];
                }
            }
        }
        return out;
    }
}
