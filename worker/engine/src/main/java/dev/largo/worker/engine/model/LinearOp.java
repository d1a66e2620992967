package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A linear module {@code y = x W^T + b} as the model sees it, so a LoRA wrapper can stand in for any targeted
 * linear. Inputs may have any number of leading dimensions; the last is the feature dimension.
 */
public interface LinearOp {

    /** Applies the layer; the result lives on {@code x}'s manager (x is the first operand of every op). */
    NDArray apply(NDArray x);

    /**
     * The tensors this module owns, keyed by their name inside the module: {@code weight}, {@code bias}
     * (absent when the layer has none) and, for LoRA, {@code lora_A}, {@code lora_B}. {@code weight} is the
     * frozen dense weight the forward pass reads (W_res for LoRA).
     */
    Map<String, NDArray> tensors();

    /** The dense weight this module is equivalent to, as a new array on {@code manager}. */
    NDArray effectiveWeight(NDManager manager);

    /** The bias, or null. */
    NDArray bias();

    long inFeatures();

    long outFeatures();
}
