package dev.largo.worker.engine.method.gorp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.largo.worker.engine.peft.LowRank;
import dev.largo.worker.engine.peft.PeftLora;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GORP's expanding LoRA (worker/engine/docs/gorp.md): {@code h = x W^T + s sum_{j<=t} (x A_j^T) B_j^T + b}. The pairs of the
 * earlier tasks are kept frozen, stacked as one pair A_f = [A_1; ...; A_{t-1}] (R x in) and
 * B_f = [B_1, ..., B_{t-1}] (out x R), since sum_j B_j A_j = B_f A_f; the current task's pair A (r x in),
 * B (out x r) trains. W and b are the frozen base weights. Every pair has the same scale s = alpha / r.
 *
 * <p>Tensor names inside the module: {@code weight}, {@code bias}, {@code lora_A}, {@code lora_B} (the current
 * pair) and {@code lora_A_frozen}, {@code lora_B_frozen} (absent on the first task).
 */
public final class ExpandingLoraLinear implements PeftLora {

    public static final String FROZEN_A = "lora_A_frozen";
    public static final String FROZEN_B = "lora_B_frozen";

    private final NDArray weight;
    private final NDArray bias;
    private final NDArray frozenA;
    private final NDArray frozenB;
    private final NDArray loraA;
    private final NDArray loraB;
    private final float scale;

    /**
     * @param frozenA A_f [R, in], or null when no task has finished
     * @param frozenB B_f [out, R], or null with frozenA
     */
    public ExpandingLoraLinear(NDArray weight, NDArray bias, NDArray frozenA, NDArray frozenB, NDArray loraA,
                               NDArray loraB, double scale) {
        long out = weight.getShape().get(0);
        long in = weight.getShape().get(1);
        long r = loraA.getShape().get(0);
        if (loraA.getShape().get(1) != in || loraB.getShape().get(0) != out || loraB.getShape().get(1) != r) {
            throw new IllegalArgumentException("LoRA pair shapes A " + loraA.getShape() + ", B " + loraB.getShape()
                    + " do not fit weight " + weight.getShape());
        }
        if ((frozenA == null) != (frozenB == null)) {
            throw new IllegalArgumentException("frozen A and B come together");
        }
        if (frozenA != null && (frozenA.getShape().get(1) != in || frozenB.getShape().get(0) != out
                || frozenB.getShape().get(1) != frozenA.getShape().get(0))) {
            throw new IllegalArgumentException("frozen pair shapes A " + frozenA.getShape() + ", B " + frozenB.getShape()
                    + " do not fit weight " + weight.getShape());
        }
        this.weight = weight;
        this.bias = bias;
        this.frozenA = frozenA;
        this.frozenB = frozenB;
        this.loraA = loraA;
        this.loraB = loraB;
        this.scale = (float) scale;
    }

    /**
     * The layer of the next task: the current pair joins the frozen ones (copied onto {@code manager}) and
     * {@code nextA}, {@code nextB} train.
     */
    public ExpandingLoraLinear nextTask(NDArray nextA, NDArray nextB, NDManager manager) {
        NDArray a = Arrays.copyOn(loraA, manager);
        NDArray b = Arrays.copyOn(loraB, manager);
        NDArray stackedA = frozenA == null ? a : Arrays.copyOn(frozenA, manager).concat(a, 0);
        NDArray stackedB = frozenB == null ? b : Arrays.copyOn(frozenB, manager).concat(b, 1);
        stackedA.attach(manager);
        stackedB.attach(manager);
        return new ExpandingLoraLinear(weight, bias, stackedA, stackedB, nextA, nextB, scale);
    }

    @Override
    public NDArray apply(NDArray x) {
        NDArray out = bias == null ? Linear.linear(x, weight).singletonOrThrow()
                : Linear.linear(x, weight, bias).singletonOrThrow();
        if (frozenA != null) {
            out = LowRank.add(out, x, frozenA, frozenB, scale);
        }
        return LowRank.add(out, x, loraA, loraB, scale);
    }

    @Override
    public Map<String, NDArray> tensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", weight);
        if (bias != null) {
            tensors.put("bias", bias);
        }
        tensors.put("lora_A", loraA);
        tensors.put("lora_B", loraB);
        if (frozenA != null) {
            tensors.put(FROZEN_A, frozenA);
            tensors.put(FROZEN_B, frozenB);
        }
        return tensors;
    }

    /** W + s (B_f A_f + B A). */
    @Override
    public NDArray effectiveWeight(NDManager manager) {
        NDArray[] factors = peftFactors(manager);
        NDArray product = factors[1].matMul(factors[0]);
        factors[0].close();
        factors[1].close();
        return product.muli(scale).addi(weight);
    }

    /** A' = [A_f; A], B' = [B_f, B]: B' A' = B_f A_f + B A, every pair with this module's scale. */
    @Override
    public NDArray[] peftFactors(NDManager manager) {
        NDArray a = Arrays.copyOn(loraA, manager);
        NDArray b = Arrays.copyOn(loraB, manager);
        if (frozenA != null) {
            a = Arrays.copyOn(frozenA, manager).concat(a, 0);
            b = Arrays.copyOn(frozenB, manager).concat(b, 1);
        }
        return new NDArray[] {a, b};
    }

    @Override
    public int peftRank() {
        return (int) (loraA.getShape().get(0) + (frozenA == null ? 0 : frozenA.getShape().get(0)));
    }

    @Override
    public float scale() {
        return scale;
    }

    @Override
    public NDArray bias() {
        return bias;
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    /** A_f, or null on the first task. */
    public NDArray frozenA() {
        return frozenA;
    }

    /** B_f, or null on the first task. */
    public NDArray frozenB() {
        return frozenB;
    }

    @Override
    public long inFeatures() {
        return weight.getShape().get(1);
    }

    @Override
    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
