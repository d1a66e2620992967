package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Softmax cross-entropy over class logits. */
public final class CrossEntropy {

    private CrossEntropy() {
    }

    /**
     * Per-example loss {@code -log softmax(logits)[label]}.
     *
     * @param logits [N, L]
     * @param labels [N] integer class indices
     * @return [N], on {@code logits}' manager
     */
    public static NDArray perExample(NDArray logits, NDArray labels) {
        long n = logits.getShape().get(0);
        NDArray index = labels.getDataType() == DataType.INT64 ? labels.reshape(n, 1)
                : labels.toType(DataType.INT64, false).reshape(n, 1);
        return logits.logSoftmax(1).gather(index, 1).reshape(n).neg();
    }

    /** Mean loss over the batch (a scalar). */
    public static NDArray mean(NDArray logits, NDArray labels) {
        return perExample(logits, labels).mean();
    }
}
