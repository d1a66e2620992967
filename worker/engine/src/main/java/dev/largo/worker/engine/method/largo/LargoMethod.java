package dev.largo.worker.engine.method.largo;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.method.lora.LoraInit;

/** LARGO: SVD-started adapters (init settable) held near their start by the regulated projection (worker/engine/docs/largo.md §2). */
public final class LargoMethod {

    public static final String ID = "largo";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, true, LoraInit.SVD_PRINCIPAL, true, true, false),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, true));

    private LargoMethod() {
    }
}
