package dev.largo.worker.engine.method.joint;

import dev.largo.worker.engine.method.Method;

/**
 * The multi-task upper bound of a continual job: LoRA with its defaults, trained once on every task's data
 * (worker/engine/docs/gorp.md §4). Continual only, and it takes no settings.
 */
public final class JointMethod {

    public static final String ID = "joint";
    /** The method (continual only; no method.lora, no projection). */
    public static final Method METHOD = () -> new Method.Traits(ID, false, true, null, false, false, false);

    private JointMethod() {
    }
}
