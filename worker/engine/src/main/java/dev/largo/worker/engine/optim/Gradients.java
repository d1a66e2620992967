package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/** Gradient housekeeping between steps. */
public final class Gradients {

    private Gradients() {
    }

    /**
     * Sets every gradient to zero in place. PyTorch (and DJL's collector) accumulate gradients over
     * backward passes, so a training loop zeroes them before each one. On the PyTorch engine this is
     * the native {@code grad.zero_()} (exact even after a NaN, no wrapper allocated).
     */
    public static void zero(List<TrainableTensor> tensors) {
        if (tensors.isEmpty()) {
            return;
        }
        try (StepScope scope = StepScope.open(tensors.get(0).value().getManager())) {
            for (TrainableTensor tensor : tensors) {
                NDArray value = tensor.value();
                if (value instanceof PtNDArray pt) {
                    JniUtils.zeroGrad(pt);
                } else if (value.hasGradient()) {
                    scope.gradient(tensor).muli(0);
                }
            }
        }
    }
}
