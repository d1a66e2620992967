package dev.largo.worker.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.linalg.Svd;
import dev.largo.worker.engine.linalg.SvdResult;
import dev.largo.worker.engine.model.LinearOp;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.support.Seeds;

/**
 * SVD-based LoRA inits (worker/engine/docs/largo.md §1): W0 = U S V^T, A0 = sqrt(S_r) V_r^T, B0 = U_r sqrt(S_r), s = 1,
 * W_res = W0 - B0 A0. {@code svd_principal} (PiSSA) takes the r largest triplets from a seeded randomized
 * range finder (no dense O(n^3) decomposition); {@code svd_minor} (MiLoRA) the r smallest, which needs the
 * exact SVD.
 */
public final class SvdLoraInit {

    private SvdLoraInit() {
    }

    static LoraLinear create(LinearOp base, LoraConfig config, long seed, String path, NDManager manager) {
        NDArray w0 = base.tensors().get("weight");
        int m = (int) base.outFeatures();
        int n = (int) base.inFeatures();
        int r = config.r();
        if (r > Math.min(m, n)) {
            throw new IllegalArgumentException("lora.r " + r + " exceeds the rank bound min(" + m + ", " + n
                    + ") of module " + path);
        }
        SvdResult svd = config.init() == LoraInit.SVD_PRINCIPAL
                ? Svd.randomizedTopR(w0, r, Seeds.derive(seed, "svd:" + path))
                : Svd.smallestR(w0, r);
        double[] a0 = new double[r * n];
        double[] b0 = new double[m * r];
        for (int k = 0; k < r; k++) {
            double root = Math.sqrt(svd.s()[k]);
            for (int j = 0; j < n; j++) {
                a0[k * n + j] = (float) (root * svd.vt()[k * n + j]);
            }
            for (int i = 0; i < m; i++) {
                b0[i * r + k] = (float) (svd.u()[i * r + k] * root);
            }
        }
        DataType dtype = w0.getDataType();
        NDArray initialA = Arrays.create(a0, new Shape(r, n), dtype, manager);
        NDArray initialB = Arrays.create(b0, new Shape(m, r), dtype, manager);
        LoraLinear lora = fromFactors(base, initialA, initialB, config.init(), manager);
        w0.close(); // the model now reads W_res; W0 = W_res + B0 A0 is kept implicitly for export
        return lora;
    }

    /**
     * A LoRA layer over {@code base} starting at A = A0, B = B0 with W_res = W0 - B0 A0 (computed on the host
     * in double precision, so the same factors always give the same W_res bits). Used by {@link #create} and
     * to rebuild a layer from a checkpoint's stored factors.
     */
    public static LoraLinear fromFactors(LinearOp base, NDArray initialA, NDArray initialB, LoraInit init,
                                         NDManager manager) {
        NDArray w0 = base.tensors().get("weight");
        int m = (int) base.outFeatures();
        int n = (int) base.inFeatures();
        int r = (int) initialA.getShape().get(0);
        double[] w = Arrays.toDoubles(w0);
        double[] a = Arrays.toDoubles(initialA);
        double[] b = Arrays.toDoubles(initialB);
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                double bik = b[i * r + k];
                for (int j = 0; j < n; j++) {
                    w[i * n + j] -= bik * a[k * n + j];
                }
            }
        }
        NDArray residual = Arrays.create(w, w0.getShape(), w0.getDataType(), manager);
        NDArray loraA = Arrays.copyOn(initialA, manager);
        NDArray loraB = Arrays.copyOn(initialB, manager);
        return new LoraLinear(residual, base.bias(), loraA, loraB, initialA, initialB, 1.0, init);
    }
}
