package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain linear layer; weight [out, in] as Hugging Face stores it (torch F.linear, no transpose copy). */
public final class DenseLinear implements LinearOp {

    private final NDArray weight;
    private final NDArray bias;

    /**
     * @param weight [out, in]
     * @param bias [out], or null for a layer without bias
     */
    public DenseLinear(NDArray weight, NDArray bias) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("linear weight must be 2-D, found " + weight.getShape());
        }
        if (bias != null && (bias.getShape().dimension() != 1 || bias.getShape().get(0) != weight.getShape().get(0))) {
            throw new IllegalArgumentException("bias shape " + bias.getShape() + " does not fit weight " + weight.getShape());
        }
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public NDArray apply(NDArray x) {
        return (bias == null ? Linear.linear(x, weight) : Linear.linear(x, weight, bias)).singletonOrThrow();
    }

    @Override
    public Map<String, NDArray> tensors() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("weight", weight);
        if (bias != null) {
            tensors.put("bias", bias);
        }
        return tensors;
    }

    public NDArray weight() {
        return weight;
    }

    @Override
    public NDArray bias() {
        return bias;
    }

    @Override
    public NDArray effectiveWeight(NDManager manager) {
        return Arrays.copyOn(weight, manager);
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
