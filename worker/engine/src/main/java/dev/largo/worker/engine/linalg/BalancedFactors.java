package dev.largo.worker.engine.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Re-factors a low-rank product D = P Q (P m x k, Q k x n) into well-conditioned factors D = B' A' with
 * B' = U sqrt(S), A' = sqrt(S) V^T from D's own thin SVD, in double precision.
 *
 * <p>Why: an SVD-initialised adapter's update relative to the original weight is B A - B0 A0, the difference of
 * two large, nearly equal products. Stored as the pair [B, -B0], [A; A0] (PEFT's PiSSA conversion) every factor
 * is as large as the principal part of W0, so rounding the factors to fp16 or bf16 leaves an error of the size of
 * B0 A0 times the format's precision, which swamps the small trained update. Factors of D itself are only as
 * large as sqrt of D's singular values, so rounding them costs D only about the format's relative precision.
 *
 * <p>The SVD of D is taken through thin QRs of P and Q^T (D = Qp (Rp Rq^T) Qq^T and a k x k SVD), so an
 * out x in layer costs O((m + n) k^2), not a dense m x n decomposition; the result keeps rank k (trailing
 * singular values may be zero), so every layer of an adapter keeps the same exported rank.
 */
public final class BalancedFactors {

    /** B' (m x k) and A' (k x n), row-major, with B' A' = P Q. */
    public record Factors(int rows, int rank, int cols, double[] b, double[] a) {
    }

    private BalancedFactors() {
    }

    /**
     * @param p m x k, row-major
     * @param q k x n, row-major
     */
    public static Factors of(double[] p, double[] q, int m, int k, int n) {
        if (p.length != (long) m * k || q.length != (long) k * n || k <= 0) {
            throw new IllegalArgumentException("factor sizes " + p.length + ", " + q.length + " do not fit "
                    + m + " x " + k + " x " + n);
        }
        if (k > m || k > n) {
            return viaDenseSvd(p, q, m, k, n);
        }
        DMatrixRMaj[] left = thinQr(DMatrixRMaj.wrap(m, k, p.clone()));            // P = Qp Rp
        DMatrixRMaj[] right = thinQr(transpose(DMatrixRMaj.wrap(k, n, q.clone()))); // Q^T = Qq Rq
        DMatrixRMaj core = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransB(left[1], right[1], core);                        // Rp Rq^T
        SvdResult small = Svd.exact(core.getData(), k, k);
        // U = Qp Uc (m x k), V^T = Vc^T Qq^T (k x n)
        DMatrixRMaj uc = DMatrixRMaj.wrap(k, k, toDoubles(small.u()));
        DMatrixRMaj vct = DMatrixRMaj.wrap(k, k, toDoubles(small.vt()));
        DMatrixRMaj u = new DMatrixRMaj(m, k);
        CommonOps_DDRM.mult(left[0], uc, u);
        DMatrixRMaj vt = new DMatrixRMaj(k, n);
        CommonOps_DDRM.multTransB(vct, right[0], vt);
        return balance(u.getData(), small.s(), vt.getData(), m, k, n, k);
    }

    /** A rank k above min(m, n): the dense SVD of D, padded with zero singular triplets to rank k. */
    private static Factors viaDenseSvd(double[] p, double[] q, int m, int k, int n) {
        DMatrixRMaj d = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(m, k, p), DMatrixRMaj.wrap(k, n, q), d);
        SvdResult svd = Svd.exact(d.getData(), m, n);
        return balance(toDoubles(svd.u()), svd.s(), toDoubles(svd.vt()), m, svd.k(), n, k);
    }

    /** B' = U sqrt(S), A' = sqrt(S) V^T for the first {@code kept} triplets; the rest of rank k stays zero. */
    private static Factors balance(double[] u, float[] s, double[] vt, int m, int kept, int n, int k) {
        double[] b = new double[m * k];
        double[] a = new double[k * n];
        for (int j = 0; j < kept; j++) {
            double root = Math.sqrt(Math.max(0, s[j]));
            for (int i = 0; i < m; i++) {
                b[i * k + j] = u[i * kept + j] * root;
            }
            for (int c = 0; c < n; c++) {
                a[j * n + c] = root * vt[j * n + c];
            }
        }
        return new Factors(m, k, n, b, a);
    }

    /** {Q (rows x cols), R (cols x cols)} of a thin QR. */
    private static DMatrixRMaj[] thinQr(DMatrixRMaj matrix) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(matrix.numRows, matrix.numCols);
        if (!qr.decompose(matrix)) {
            throw new ArithmeticException("QR failed for a " + matrix.numRows + " x " + matrix.numCols + " matrix");
        }
        return new DMatrixRMaj[] {qr.getQ(null, true), qr.getR(null, true)};
    }

    private static DMatrixRMaj transpose(DMatrixRMaj matrix) {
        return CommonOps_DDRM.transpose(matrix, null);
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
