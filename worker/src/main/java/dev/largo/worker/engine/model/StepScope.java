package dev.largo.worker.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collection;

/**
 * A short-lived manager for one training or evaluation step. The model's tensors are temporarily attached to
 * it, so every array an op creates during the step (activations, gradient handles, autograd buffers) is
 * released when the scope closes, whatever the operand order, and the tensors return to the model's manager.
 * Leaking step intermediates onto a long-lived manager made steps 3-5x slower and grew memory without bound
 * (PERFORMANCE.md).
 */
public final class StepScope implements AutoCloseable {

    private final NDManager manager;

    private StepScope(NDManager parent, Collection<NDArray> tensors) {
        this.manager = parent.newSubManager();
        for (NDArray tensor : tensors) {
            tensor.tempAttach(manager);
        }
    }

    /** Opens a scope over every tensor of {@code model}. */
    public static StepScope open(ImageClassifier model) {
        return new StepScope(model.manager(), model.tensors().values());
    }

    /** Opens a scope over {@code tensors} (all owned by {@code parent}). */
    public static StepScope open(NDManager parent, Collection<NDArray> tensors) {
        return new StepScope(parent, tensors);
    }

    /** Create the step's inputs here. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
