package dev.largo.worker.engine.method.lora;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.method.lora.LoraInit;

/** LoRA: adapters A, B (gaussian init) and the head; in a continual job, one adapter trained on and on. */
public final class LoraMethod {

    public static final String ID = "lora";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, true, LoraInit.GAUSSIAN, false, false, false),
            (model, adapters) -> TrainedTensors.adapters(model, adapters, false));

    private LoraMethod() {
    }
}
