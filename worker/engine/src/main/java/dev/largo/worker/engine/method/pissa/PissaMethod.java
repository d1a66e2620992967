package dev.largo.worker.engine.method.pissa;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.method.lora.LoraInit;

/** PiSSA: LoRA started from the principal singular triplets of each weight (worker/engine/docs/largo.md §1). */
public final class PissaMethod {

    public static final String ID = "pissa";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, false, LoraInit.SVD_PRINCIPAL, false, false, false),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, false));

    private PissaMethod() {
    }
}
