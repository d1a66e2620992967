package dev.largo.worker.engine.method.pissa;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.method.lora.LoraInit;

/**
 * PiSSA: LoRA started from the principal singular triplets of each weight (worker/engine/docs/largo.md §1). The init
 * itself ({@code svd_principal}) lives with the LoRA layer, which LARGO starts from as well.
 */
public final class PissaMethod {

    public static final String ID = "pissa";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "PiSSA")
                    .describedAs("Low-rank adapter initialised from the principal singular vectors of each weight.")
                    .singleTask().lora(LoraInit.SVD_PRINCIPAL)
                    .learningRate(Method.ADAPTER_LEARNING_RATE, Method.ADAPTER_GRID)
                    .build(),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, false));

    private PissaMethod() {
    }
}
