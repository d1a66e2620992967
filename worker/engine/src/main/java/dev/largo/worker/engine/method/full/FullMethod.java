package dev.largo.worker.engine.method.full;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/** Every weight and the head, unconstrained; in a continual job, trained on task after task. */
public final class FullMethod {

    public static final String ID = "full";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "Full fine-tuning")
                    .describedAs("Every weight and the new head train, unconstrained.")
                    .singleTask().continual().trainsBaseWeights()
                    .learningRate(Method.FULL_LEARNING_RATE, Method.FULL_GRID)
                    .build(),
            (model, adapters) -> TrainedTensors.allWeights(model, false));

    private FullMethod() {
    }
}
