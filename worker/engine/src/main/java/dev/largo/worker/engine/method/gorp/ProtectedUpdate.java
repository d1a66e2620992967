package dev.largo.worker.engine.method.gorp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.optim.StepScope;
import dev.largo.worker.engine.optim.TrainableTensor;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a step's change of a protected tensor out of its shared space (GORP.md: the update must not move the
 * model along directions earlier tasks rely on). Projecting the gradient alone is not enough: Adam divides the
 * (projected) first moment by the square root of the second moment element by element, and that rescaling rotates
 * the direction back into the shared span. So the change a step makes, Delta = W_after - W_before (Adam's
 * direction and decoupled weight decay together), is projected: W = W_before + Delta - P_S(Delta), with
 * P_S(X) = S S^T X when the space lives on the rows and X S S^T when on the columns.
 *
 * <p>Use: {@link #remember} the tensors before the optimizer moves them, then {@link #project} once it has.
 */
final class ProtectedUpdate {

    private final Map<TrainableTensor, Entry> before = new LinkedHashMap<>();
    private final NDManager manager;

    private record Entry(NDArray value, NDArray basis, boolean onRows) {
    }

    /** @param manager where the copies of the tensors' values live until {@link #project} */
    ProtectedUpdate(NDManager manager) {
        this.manager = manager;
    }

    /** Keeps {@code tensor}'s current value, to project its coming change against {@code basis}. */
    void remember(TrainableTensor tensor, NDArray basis, boolean onRows) {
        before.put(tensor, new Entry(Arrays.copyOn(tensor.value(), manager), basis, onRows));
    }

    /** Replaces every remembered tensor's change by its part outside the shared space; frees the copies. */
    void project(NDManager stateManager) {
        try (StepScope scope = StepScope.open(stateManager)) {
            for (Map.Entry<TrainableTensor, Entry> e : before.entrySet()) {
                NDArray value = e.getKey().value();
                Entry entry = e.getValue();
                scope.borrow(value, entry.basis());
                entry.value().attach(scope.manager());
                NDArray delta = value.sub(entry.value());
                value.subi(GradientProjection.sharedComponent(delta, entry.basis(), entry.onRows()));
            }
        }
        before.clear();
    }
}
