package dev.largo.worker.engine.method.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.largo.worker.engine.linalg.BalancedFactors;
import dev.largo.worker.engine.support.Arrays;
import dev.largo.worker.engine.peft.LowRank;
import dev.largo.worker.engine.peft.PeftLora;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LoRA-adapted linear layer: {@code h = x W_res^T + s (x A^T) B^T + b} (worker/engine/docs/largo.md §1).
 *
 * <p>W_res and b are frozen; A [r, in] and B [out, r] train. For SVD inits the initial factors A0, B0 are kept
 * because the exported adapter is expressed relative to the original weight W0 = W_res + B0 A0.
 */
public final class LoraLinear implements PeftLora {

    private final NDArray residual;
    private final NDArray bias;
    private final NDArray loraA;
    private final NDArray loraB;
    private final NDArray initialA;
    private final NDArray initialB;
    private final float scale;
    private final LoraInit init;

    /**
     * @param residual W_res [out, in], frozen
     * @param bias [out] or null, frozen
     * @param loraA A [r, in]
     * @param loraB B [out, r]
     * @param initialA A0 for SVD inits (the part of W0 moved into the adapter), else null
     * @param initialB B0 for SVD inits, else null
     */
    public LoraLinear(NDArray residual, NDArray bias, NDArray loraA, NDArray loraB, NDArray initialA,
                      NDArray initialB, double scale, LoraInit init) {
        long out = residual.getShape().get(0);
        long in = residual.getShape().get(1);
        long r = loraA.getShape().get(0);
        if (loraA.getShape().get(1) != in || loraB.getShape().get(0) != out || loraB.getShape().get(1) != r) {
            throw new IllegalArgumentException("LoRA factor shapes A " + loraA.getShape() + ", B " + loraB.getShape()
                    + " do not fit weight " + residual.getShape());
        }
        if ((initialA != null) != init.isSvd() || (initialB != null) != init.isSvd()) {
            throw new IllegalArgumentException("initial factors A0, B0 are required for SVD inits and only for them");
        }
        this.residual = residual;
        this.bias = bias;
        this.loraA = loraA;
        this.loraB = loraB;
        this.initialA = initialA;
        this.initialB = initialB;
        this.scale = (float) scale;
        this.init = init;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray base = bias == null ? Linear.linear(x, residual).singletonOrThrow()
                : Linear.linear(x, residual, bias).singletonOrThrow();
        return LowRank.add(base, x, loraA, loraB, scale);
    }

    @Override
    public Map<String, NDArray> tensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", residual);
        if (bias != null) {
            tensors.put("bias", bias);
        }
        tensors.put("lora_A", loraA);
        tensors.put("lora_B", loraB);
        return tensors;
    }

    /** W_res + s B A. */
    @Override
    public NDArray effectiveWeight(NDManager manager) {
        NDArray b = Arrays.copyOn(loraB, manager);
        NDArray product = b.matMul(loraA);
        b.close();
        return product.muli(scale).addi(residual);
    }

    /** The update relative to the original W0: s (B A - B0 A0); for the gaussian init simply s B A. */
    public NDArray deltaFromOriginal(NDManager manager) {
        NDArray b = Arrays.copyOn(loraB, manager);
        NDArray delta = b.matMul(loraA);
        b.close();
        if (init.isSvd()) {
            NDArray b0 = Arrays.copyOn(initialB, manager);
            NDArray initialProduct = b0.matMul(initialA);
            delta.subi(initialProduct);
            initialProduct.close();
            b0.close();
        }
        return delta.muli(scale);
    }

    /**
     * Relative to W0: for the gaussian init A' = A, B' = B. For SVD inits the update B A - B0 A0 has rank at most
     * 2r; it is exported as its own SVD factors, B' = U sqrt(S), A' = sqrt(S) V^T of rank 2r, not as PEFT's
     * conversion pair [B, -B0], [A; A0]: that pair's product is the difference of two large, nearly equal terms and
     * loses the update when a user loads the adapter in fp16 or bf16 (see {@link BalancedFactors}).
     */
    @Override
    public NDArray[] peftFactors(NDManager manager) {
        if (!init.isSvd()) {
            return new NDArray[] {Arrays.copyOn(loraA, manager), Arrays.copyOn(loraB, manager)};
        }
        int r = rank();
        int out = (int) outFeatures();
        int in = (int) inFeatures();
        double[] b = Arrays.toDoubles(loraB);
        double[] b0 = Arrays.toDoubles(initialB);
        double[] a = Arrays.toDoubles(loraA);
        double[] a0 = Arrays.toDoubles(initialA);
        double[] left = new double[out * 2 * r];   // [B, -B0]
        for (int i = 0; i < out; i++) {
            for (int k = 0; k < r; k++) {
                left[i * 2 * r + k] = b[i * r + k];
                left[i * 2 * r + r + k] = -b0[i * r + k];
            }
        }
        double[] right = new double[2 * r * in];   // [A; A0]
        System.arraycopy(a, 0, right, 0, r * in);
        System.arraycopy(a0, 0, right, r * in, r * in);
        BalancedFactors.Factors factors = BalancedFactors.of(left, right, out, 2 * r, in);
        DataType dtype = loraA.getDataType();
        return new NDArray[] {Arrays.create(factors.a(), new Shape(2 * r, in), dtype, manager),
                Arrays.create(factors.b(), new Shape(out, 2 * r), dtype, manager)};
    }

    @Override
    public int peftRank() {
        return init.isSvd() ? 2 * rank() : rank();
    }

    @Override
    public NDArray bias() {
        return bias;
    }

    public NDArray residual() {
        return residual;
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    /** A0, or null for the gaussian init. */
    public NDArray initialA() {
        return initialA;
    }

    /** B0, or null for the gaussian init. */
    public NDArray initialB() {
        return initialB;
    }

    @Override
    public float scale() {
        return scale;
    }

    public LoraInit init() {
        return init;
    }

    public int rank() {
        return (int) loraA.getShape().get(0);
    }

    @Override
    public long inFeatures() {
        return residual.getShape().get(1);
    }

    @Override
    public long outFeatures() {
        return residual.getShape().get(0);
    }
}
