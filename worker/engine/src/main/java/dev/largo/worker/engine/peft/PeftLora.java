package dev.largo.worker.engine.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.LinearOp;

/**
 * A linear module whose change from the ORIGINAL base weight W0 is a low-rank product that PEFT can store as
 * one LoRA pair: {@code W_effective = W0 + scale * B' A'} with A' [R, in] and B' [out, R]. The exporter writes
 * A', B' with {@code lora_alpha = scale * R}, so PEFT's {@code lora_alpha / r} is exactly {@code scale}.
 */
public interface PeftLora extends LinearOp {

    /** {A', B'} as new arrays on {@code manager}. */
    NDArray[] peftFactors(NDManager manager);

    /** R, the exported rank. */
    int peftRank();

    /** The scale s every pair of the module is multiplied by. */
    float scale();
}
