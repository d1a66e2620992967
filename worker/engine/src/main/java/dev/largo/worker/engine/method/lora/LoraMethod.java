package dev.largo.worker.engine.method.lora;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/** LoRA: adapters A, B (gaussian init) and the head; in a continual job, one adapter trained on and on. */
public final class LoraMethod {

    public static final String ID = "lora";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "LoRA")
                    .describedAs("Low-rank adapter (A, B) with Gaussian initialisation, unconstrained.")
                    .singleTask().continual().lora(LoraInit.GAUSSIAN)
                    .learningRate(Method.ADAPTER_LEARNING_RATE, Method.ADAPTER_GRID)
                    .build(),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, false));

    private LoraMethod() {
    }
}
