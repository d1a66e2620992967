package dev.largo.worker.engine.method.gorp;

import dev.largo.worker.engine.method.Method;

/**
 * GORP, continual only: its expanding LoRA and full-rank part are set in {@code method.gorp}
 * ({@link dev.largo.worker.engine.method.gorp.GorpConfig}; worker/engine/docs/gorp.md), not in {@code method.lora}. Its
 * default rate is the adapters' (the full-rank part takes the job's rate unless set apart).
 */
public final class GorpMethod {

    public static final String ID = "gorp";
    /** The method (continual only; no method.lora, no projection). */
    public static final Method METHOD = () -> new Method.Traits(ID, false, true, null, false, false, false);

    private GorpMethod() {
    }
}
