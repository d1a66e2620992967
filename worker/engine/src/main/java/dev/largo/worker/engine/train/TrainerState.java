package dev.largo.worker.engine.train;

import ai.djl.ndarray.NDArray;
import dev.largo.worker.engine.data.Batches;
import java.util.Map;

/**
 * A trainer's resumable state apart from the model tensors.
 *
 * @param phase the phase the optimizer state belongs to (null before the first step)
 * @param optimizer that phase's optimizer state dict
 */
record TrainerState(long step, int epochsDone, String phase, Batches.Cursor cursor, Map<String, NDArray> optimizer) {
}
