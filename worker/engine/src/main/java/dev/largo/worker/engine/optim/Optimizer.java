package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;

/**
 * A parameter update rule. Implementations keep their per-tensor state (moments, LARGO radii) on the
 * manager they were created with, update the tensors in place, and can save and restore that state
 * so a resumed run continues exactly where a checkpoint left it.
 */
public interface Optimizer {

    /**
     * Applies one update to every tensor from its attached gradient.
     *
     * @param tensors the trainable tensors, in a stable order
     * @param learningRate this step's learning rate (the schedule is the caller's business)
     */
    void step(List<TrainableTensor> tensors, float learningRate);

    /**
     * Tells the optimizer that the gradients of the coming {@link #step} were multiplied by {@code factor} (global-norm
     * clipping: 1 when nothing was clipped). Most optimizers ignore it; the regulated projection can undo it for its
     * hypergradient.
     */
    default void gradientsScaledBy(float factor) {
    }

    /** Number of steps taken so far (1 after the first {@link #step}). */
    long stepCount();

    /** The full optimizer state as named tensors, for checkpoints. Keys are stable across runs. */
    Map<String, NDArray> stateDict();

    /** Restores a state produced by {@link #stateDict()}; arrays are copied onto {@code manager}. */
    void loadStateDict(Map<String, NDArray> state, NDManager manager);
}
