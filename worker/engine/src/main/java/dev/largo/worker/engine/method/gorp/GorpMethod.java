package dev.largo.worker.engine.method.gorp;

import dev.largo.worker.engine.method.Method;

/**
 * GORP, continual only: its expanding LoRA and full-rank part are set in {@code method.gorp} ({@link GorpConfig};
 * worker/engine/docs/gorp.md), not in {@code method.lora}. Its default rate is the adapters' (the full-rank part
 * takes the job's rate unless set apart).
 */
public final class GorpMethod {

    public static final String ID = "gorp";
    private static final Method.Traits TRAITS = Method.define(ID, "GORP")
            .describedAs("Continual: each task trains a fresh low-rank pair and GaLore-compressed full-rank weights,"
                    + " both projected away from the gradient space earlier tasks shared.")
            .continual().gorp()
            .learningRate(Method.ADAPTER_LEARNING_RATE, Method.ADAPTER_GRID)
            .build();
    public static final Method METHOD = () -> TRAITS;

    private GorpMethod() {
    }
}
