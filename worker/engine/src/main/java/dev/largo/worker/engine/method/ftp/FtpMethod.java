package dev.largo.worker.engine.method.ftp;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/** Every weight and the head, the regulated projection on every pretrained tensor (FTP; worker/engine/docs/largo.md §2). */
public final class FtpMethod {

    public static final String ID = "ftp";
    /** Traits: single task, continual, LoRA init, init settable, projected, base weights train. */
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            new Method.Traits(ID, true, false, null, false, true, true),
            (model, adapters) -> TrainedTensors.allWeights(model, true));

    private FtpMethod() {
    }
}
