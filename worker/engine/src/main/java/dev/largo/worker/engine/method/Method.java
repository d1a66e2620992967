package dev.largo.worker.engine.method;

import dev.largo.worker.engine.method.lora.LoraInit;

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

    /** What the method is, as data: every answer below reads it. */
    Traits traits();

    /** The contract's {@code method.type}. */
    default String id() {
        return traits().id();
    }

    /** AdamW's default rate for the method: lower when the base model's own weights train. */
    default double defaultLearningRate() {
        return traits().trainsBaseWeights() ? FULL_LEARNING_RATE : ADAPTER_LEARNING_RATE;
    }

    /**
     * @param id the contract's {@code method.type}
     * @param singleTask whether a job with one training dataset takes it
     * @param continual whether a job with {@code tasks} takes it
     * @param loraInit the init it prescribes when it takes {@code method.lora}; null when it takes none
     * @param initConfigurable whether {@code method.lora.init} may differ from {@code loraInit}
     * @param projected whether the regulated projection ({@code method.largo}) wraps its optimizer
     * @param trainsBaseWeights whether the base model's own weights train
     */
    record Traits(String id, boolean singleTask, boolean continual, LoraInit loraInit, boolean initConfigurable,
                  boolean projected, boolean trainsBaseWeights) {
    }
}
