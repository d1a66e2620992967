package dev.largo.worker.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's count of the steps it has taken (bias corrections and refresh periods depend on it) and the
 * count's entry in the optimizer's state dict: {@code step}, an int64 scalar, so that a resumed run continues
 * the count exactly.
 */
public final class StepCounter {

    /** The state dict key of the count. */
    public static final String KEY = "step";

    private long steps;

    /** Counts one more step; answers the new count (1 after the first step). */
    public long advance() {
        return ++steps;
    }

    public long count() {
        return steps;
    }

    /** A new, ordered state dict that holds the count (a new array on {@code manager}); the caller adds the rest. */
    public Map<String, NDArray> newState(NDManager manager) {
        Map<String, NDArray> state = new LinkedHashMap<>();
        state.put(KEY, manager.create(new long[] {steps}));
        return state;
    }

    /**
     * The count a state dict {@link #newState} began holds; read before anything else of the state is restored,
     * so that a state without one changes nothing.
     *
     * @param optimizer the optimizer's name, for the error
     * @throws IllegalArgumentException when the state has no count
     */
    public static long saved(Map<String, NDArray> state, String optimizer) {
        NDArray step = state.get(KEY);
        if (step == null) {
            throw new IllegalArgumentException(optimizer + " state has no '" + KEY + "'");
        }
        return step.toLongArray()[0];
    }

    /** Continues from a count {@link #saved} read. */
    public void restore(long count) {
        steps = count;
    }
}
