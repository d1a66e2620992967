package dev.largo.worker.engine.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;

/** Real gradients through the engine, for optimizer tests. */
public final class OptimTestSupport {

    private OptimTestSupport() {
    }

    public static TrainableTensor parameter(NDManager manager, String name, float[] values, long... shape) {
        NDArray value = manager.create(values, new Shape(shape));
        value.setRequiresGradient(true);
        return new TrainableTensor(name, value);
    }

    /**
     * Runs a backward pass of loss = sum_i sum(p_i * c_i), so each gradient is exactly c_i, after zeroing
     * the previous gradients.
     */
    public static void setGradients(List<TrainableTensor> tensors, List<float[]> gradients) {
        Gradients.zero(tensors);
        try (NDManager scope = tensors.get(0).value().getManager().newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < tensors.size(); i++) {
                NDArray p = tensors.get(i).value();
                NDArray c = scope.create(gradients.get(i), p.getShape());
                NDArray term = c.mul(p).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss);
        }
    }
}
