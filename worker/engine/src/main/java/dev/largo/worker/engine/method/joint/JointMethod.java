package dev.largo.worker.engine.method.joint;

import dev.largo.worker.engine.method.Method;
import java.util.List;

/**
 * The multi-task upper bound of a continual job: LoRA with its defaults, trained once on every task's data
 * (worker/engine/docs/gorp.md §4). Continual only, and it takes no settings. The benchmark does not sweep its rate:
 * it trains lora's adapter and takes lora's rate.
 */
public final class JointMethod {

    public static final String ID = "joint";
    private static final Method.Traits TRAITS = Method.define(ID, "Joint (multi-task)")
            .describedAs("Continual upper bound: one LoRA adapter trained on every task's data at once.")
            .continual()
            .learningRate(Method.ADAPTER_LEARNING_RATE, List.of())
            .build();
    public static final Method METHOD = () -> TRAITS;

    private JointMethod() {
    }
}
