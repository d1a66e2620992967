package dev.largo.worker.engine.method;

import dev.largo.worker.engine.peft.LoraInit;

/**
 * One fine-tuning method, PEFT-style: a package of its own under {@code engine.method} says what kind of job
 * takes it, which settings blocks apply, its defaults and what it trains; {@link MethodRegistry} lists them once.
 * The service completes job specs from these answers and the benchmark grids iterate them, so a method's
 * defaults are written in one place (worker/engine/docs/largo.md §3, worker/engine/docs/gorp.md).
 */
public interface Method {

    /** AdamW's rate for adapters and the head (worker/engine/docs/largo.md §3). */
    double ADAPTER_LEARNING_RATE = 1e-3;
    /** AdamW's rate when every pretrained weight trains. */
    double FULL_LEARNING_RATE = 1e-4;

    /** The contract's {@code method.type}. */
    String id();

    /** Whether a job with one training dataset takes it. */
    boolean singleTask();

    /** Whether a job with {@code tasks} takes it. */
    boolean continual();

    /** The LoRA init it prescribes when it takes {@code method.lora}; null when it takes no {@code method.lora}. */
    LoraInit loraInit();

    /** Whether {@code method.lora.init} may differ from {@link #loraInit()}. */
    default boolean initConfigurable() {
        return false;
    }

    /** Whether the regulated projection ({@code method.largo}) wraps its optimizer. */
    default boolean projected() {
        return false;
    }

    /** Whether the base model's own weights train (which sets the default learning rate). */
    default boolean trainsBaseWeights() {
        return false;
    }

    default double defaultLearningRate() {
        return trainsBaseWeights() ? FULL_LEARNING_RATE : ADAPTER_LEARNING_RATE;
    }
}
