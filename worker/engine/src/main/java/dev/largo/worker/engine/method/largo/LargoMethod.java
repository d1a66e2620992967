package dev.largo.worker.engine.method.largo;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.method.lora.LoraInit;

/** LARGO: SVD-started adapters (init settable) held near their start by the regulated projection (worker/engine/docs/largo.md §2). */
public final class LargoMethod {

    public static final String ID = "largo";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "LARGO")
                    .describedAs("Low-rank adapter whose A and B may move from their start only within a learned"
                            + " per-tensor radius gamma: fits the task while keeping out-of-distribution robustness.")
                    .singleTask().continual().loraStartingFrom(LoraInit.SVD_PRINCIPAL).projected()
                    .learningRate(Method.ADAPTER_LEARNING_RATE, Method.ADAPTER_GRID)
                    .build(),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, true));

    private LargoMethod() {
    }
}
