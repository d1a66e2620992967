package dev.largo.worker.engine.method.full;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/** Every weight and the head, unconstrained; in a continual job, trained on task after task. */
public final class FullMethod {

    public static final String ID = "full";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, true, null, false, false, true),
            (model, adapters) -> TrainedTensors.allWeights(model, false));

    private FullMethod() {
    }
}
