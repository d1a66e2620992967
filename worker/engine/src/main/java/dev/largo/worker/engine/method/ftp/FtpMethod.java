package dev.largo.worker.engine.method.ftp;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;

/**
 * Every weight and the head, the regulated projection on every pretrained tensor (FTP; worker/engine/docs/largo.md
 * §2). The projection is LARGO's ({@code method.largo}); FTP is its full-weight form.
 */
public final class FtpMethod {

    public static final String ID = "ftp";
    public static final SingleTaskMethod METHOD = SingleTaskMethod.of(
            Method.define(ID, "FTP")
                    .describedAs("Every pretrained weight trains, held near its pretrained value by the regulated"
                            + " projection.")
                    .singleTask().projected().trainsBaseWeights()
                    .learningRate(Method.FULL_LEARNING_RATE, Method.FULL_GRID)
                    .build(),
            (model, adapters) -> TrainedTensors.allWeights(model, true));

    private FtpMethod() {
    }
}
