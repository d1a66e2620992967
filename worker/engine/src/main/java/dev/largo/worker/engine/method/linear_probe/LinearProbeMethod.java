package dev.largo.worker.engine.method.linear_probe;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import java.util.List;

/**
 * The head alone on the frozen base model (worker/engine/docs/largo.md §3). Its sweep reaches above the adapters':
 * a freshly initialised head alone tolerates larger steps.
 */
public final class LinearProbeMethod {

    public static final String ID = "linear_probe";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "Linear probe")
                    .describedAs("Only the new classification head trains; the base model stays frozen.")
                    .singleTask()
                    .learningRate(Method.ADAPTER_LEARNING_RATE, List.of(1e-3, 3e-3, 1e-2))
                    .build(),
            (model, adapters) -> TrainedTensors.head(model));

    private LinearProbeMethod() {
    }
}
