package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;

/**
 * One tensor an optimizer updates: its stable name (Hugging Face style, e.g.
 * {@code vit.encoder.layer.0.attention.attention.query.lora_A}) and its value, which has a gradient
 * attached. Optimizers update {@code value} in place so callers keep holding the same array.
 */
public record TrainableTensor(String name, NDArray value) {

    /** The gradient of the last backward pass, same shape as {@link #value()}. */
    public NDArray gradient() {
        return value.getGradient();
    }
}
