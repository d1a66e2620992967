package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** Gradient housekeeping between steps. */
public final class Gradients {

    private Gradients() {
    }

    /**
     * Sets every gradient to zero in place. PyTorch (and DJL's collector) accumulate gradients over
     * backward passes, so a training loop zeroes them before each one.
     */
    public static void zero(List<TrainableTensor> tensors) {
        if (tensors.isEmpty()) {
            return;
        }
        try (StepScope scope = StepScope.open(tensors.get(0).value().getManager())) {
            for (TrainableTensor tensor : tensors) {
                if (tensor.value().hasGradient()) {
                    NDArray gradient = scope.gradient(tensor);
                    gradient.muli(0);
                }
            }
        }
    }
}
