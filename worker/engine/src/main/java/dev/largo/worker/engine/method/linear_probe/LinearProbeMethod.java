package dev.largo.worker.engine.method.linear_probe;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/** The head alone on the frozen base model (worker/engine/docs/largo.md §3). */
public final class LinearProbeMethod {

    public static final String ID = "linear_probe";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, false, null, false, false, false),
            (model, adapters) -> TrainedTensors.head(model));

    private LinearProbeMethod() {
    }
}
