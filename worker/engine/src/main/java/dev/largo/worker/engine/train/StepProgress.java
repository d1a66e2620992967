package dev.largo.worker.engine.train;

import java.util.Map;

/**
 * One training step, as reported to listeners.
 *
 * @param step steps done so far in the run (1 after the first)
 * @param totalSteps steps of the whole run (head warm-up included)
 * @param epoch the epoch this step belongs to, from 1
 * @param phase {@link Trainer#PHASE_HEAD_WARMUP} or {@link Trainer#PHASE_TRAIN}
 * @param loss the batch's mean cross-entropy before the update
 * @param learningRate the learning rate this step used
 * @param gradNorm the global gradient norm before clipping
 * @param stepMillis wall time of this step (batch assembly, forward, backward, clipping, update)
 * @param etaSeconds estimated time to the end of training (mean step time so far x steps left)
 * @param gammas per-tensor projection radius gamma after this step (largo, ftp); empty otherwise
 */
public record StepProgress(long step, long totalSteps, int epoch, int totalEpochs, String phase, double loss,
                           double learningRate, double gradNorm, double stepMillis, double etaSeconds,
                           Map<String, Double> gammas) {
}
