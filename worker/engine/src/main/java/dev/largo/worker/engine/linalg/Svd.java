package dev.largo.worker.engine.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Singular value decompositions for the SVD adapter initialisations (worker/engine/docs/largo.md §1). DJL has no
 * SVD: exact decompositions run in double precision with EJML; {@link #randomizedTopR} keeps the
 * large products on the engine and gives EJML only small matrices.
 */
public final class Svd {

    /** Halko et al.'s default oversampling. */
    public static final int DEFAULT_OVERSAMPLE = 8;
    /** Power iterations sharpen a slowly decaying spectrum; two are usually enough for weights. */
    public static final int DEFAULT_POWER_ITERATIONS = 2;

    private Svd() {
    }

    /** The thin SVD (k = min(rows, cols)) of a row-major matrix, singular values descending. */
    public static SvdResult exact(double[] rowMajor, int rows, int cols) {
        if (rowMajor.length != (long) rows * cols || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(rowMajor.length + " values for a " + rows + " x " + cols + " matrix");
        }
        DMatrixRMaj matrix = DMatrixRMaj.wrap(rows, cols, rowMajor.clone());
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(matrix)) {
            throw new ArithmeticException("SVD did not converge for a " + rows + " x " + cols + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        int k = Math.min(rows, cols);
        float[] s = new float[k];
        for (int i = 0; i < k; i++) {
            s[i] = (float) w.get(i, i);
        }
        return new SvdResult(rows, cols, k, toFloats(u, rows, k), s, toFloats(vt, k, cols));
    }

    public static SvdResult exact(float[][] matrix) {
        int rows = matrix.length;
        int cols = matrix[0].length;
        double[] data = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            if (matrix[i].length != cols) {
                throw new IllegalArgumentException("ragged matrix: row " + i + " has " + matrix[i].length + " values");
            }
            for (int j = 0; j < cols; j++) {
                data[i * cols + j] = matrix[i][j];
            }
        }
        return exact(data, rows, cols);
    }

    /** The exact SVD of a 2-D NDArray (copied to host). */
    public static SvdResult exact(NDArray w) {
        long[] shape = requireMatrix(w);
        return exact(toDoubles(w), (int) shape[0], (int) shape[1]);
    }

    /** The r largest singular triplets, from the exact decomposition. */
    public static SvdResult largestR(NDArray w, int r) {
        return slice(exact(w), 0, r);
    }

    /** The r smallest singular triplets (MiLoRA-style init): needs the full decomposition. */
    public static SvdResult smallestR(NDArray w, int r) {
        SvdResult full = exact(w);
        return slice(full, full.k() - r, r);
    }

    public static SvdResult smallestR(double[] rowMajor, int rows, int cols, int r) {
        SvdResult full = exact(rowMajor, rows, cols);
        return slice(full, full.k() - r, r);
    }

    /**
     * The r largest singular triplets of W (m x n) by Halko, Martinsson and Tropp's randomized range
     * finder: Y = W Omega with a seeded Gaussian Omega (n x (r+p)), q power iterations
     * (W^T Q, W Q, each re-orthonormalised by QR), B = Q^T W ((r+p) x n), then an exact SVD of B.
     * The products with W run on the engine; only m x (r+p) and (r+p) x n matrices reach the CPU.
     * Temporaries live in a sub-manager and are freed before returning; W is untouched.
     */
    public static SvdResult randomizedTopR(NDArray w, int r, int oversample, int powerIterations, long seed) {
        long[] shape = requireMatrix(w);
        int m = (int) shape[0];
        int n = (int) shape[1];
        if (r <= 0 || r > Math.min(m, n)) {
            throw new IllegalArgumentException("rank " + r + " is outside [1, " + Math.min(m, n) + "]");
        }
        int l = Math.min(r + Math.max(0, oversample), Math.min(m, n));
        try {
            return randomizedTopR(w, r, l, powerIterations, seed, m, n);
        } catch (RankDeficientSketchException e) {
            // W has rank < r + p (a zero or very low-rank weight): its sketch has no orthonormal basis of
            // full width, but the exact SVD handles any rank, and such a W is cheap to decompose anyway.
            return largestR(w, r);
        }
    }

    private static SvdResult randomizedTopR(NDArray w, int r, int l, int powerIterations, long seed, int m, int n) {
        try (NDManager scope = w.getManager().newSubManager()) {
            scope.tempAttachAll(w); // results of ops on w land in the scope, w returns to its manager on close
            NDArray weight = w.getDataType() == DataType.FLOAT32 ? w : w.toType(DataType.FLOAT32, false);
            NDArray omega = scope.create(gaussian(n * l, seed), new Shape(n, l));
            NDArray q = orthonormalise(weight.matMul(omega), scope);
            for (int i = 0; i < powerIterations; i++) {
                NDArray z = orthonormalise(weight.transpose().matMul(q), scope);
                q = orthonormalise(weight.matMul(z), scope);
            }
            NDArray b = q.transpose().matMul(weight); // l x n
            SvdResult small = exact(toDoubles(b), l, n);
            // U = Q Ub: (m x l)(l x l), then keep the first r columns.
            NDArray ub = scope.create(small.u(), new Shape(l, l));
            float[] u = q.matMul(ub).toFloatArray();
            SvdResult full = new SvdResult(m, n, l, u, small.s(), small.vt());
            return slice(full, 0, r);
        }
    }

    public static SvdResult randomizedTopR(NDArray w, int r, long seed) {
        return randomizedTopR(w, r, DEFAULT_OVERSAMPLE, DEFAULT_POWER_ITERATIONS, seed);
    }

    /** Q of a thin QR of {@code y} (rows x cols, rows >= cols), as an NDArray on {@code manager}. */
    private static NDArray orthonormalise(NDArray y, NDManager manager) {
        long[] shape = y.getShape().getShape();
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        DMatrixRMaj matrix = DMatrixRMaj.wrap(rows, cols, toDoubles(y));
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        if (!qr.decompose(matrix)) {
            throw new RankDeficientSketchException();
        }
        DMatrixRMaj q = qr.getQ(null, true);
        return manager.create(toFloats(q, rows, cols), new Shape(rows, cols));
    }

    private static SvdResult slice(SvdResult full, int from, int count) {
        if (count <= 0 || from < 0 || from + count > full.k()) {
            throw new IllegalArgumentException("cannot take " + count + " singular triplets from " + full.k());
        }
        float[] u = new float[full.rows() * count];
        for (int i = 0; i < full.rows(); i++) {
            System.arraycopy(full.u(), i * full.k() + from, u, i * count, count);
        }
        float[] s = java.util.Arrays.copyOfRange(full.s(), from, from + count);
        float[] vt = java.util.Arrays.copyOfRange(full.vt(), from * full.cols(), (from + count) * full.cols());
        return new SvdResult(full.rows(), full.cols(), count, u, s, vt);
    }

    private static long[] requireMatrix(NDArray w) {
        long[] shape = w.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("SVD needs a 2-D matrix, got shape " + w.getShape());
        }
        return shape;
    }

    private static double[] toDoubles(NDArray array) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] toFloats(DMatrixRMaj matrix, int rows, int cols) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) matrix.get(i, j);
            }
        }
        return out;
    }

    private static float[] gaussian(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** The sketch W Omega (or a power iterate) is rank-deficient, so its QR has no full-width Q. */
    private static final class RankDeficientSketchException extends ArithmeticException {
        RankDeficientSketchException() {
            super("rank-deficient sketch in the randomized range finder");
        }
    }
}
