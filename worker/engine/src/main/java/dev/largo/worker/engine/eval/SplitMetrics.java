package dev.largo.worker.engine.eval;

/**
 * Classification figures for one evaluation split.
 *
 * @param count examples evaluated
 * @param accuracy fraction whose arg-max logit is the label, in [0, 1]
 * @param meanLoss mean cross-entropy (natural log) of the label under softmax(logits)
 * @param expectedCalibrationError ECE over {@link Metrics#ECE_BINS} equal-width confidence bins
 */
public record SplitMetrics(long count, double accuracy, double meanLoss, double expectedCalibrationError) {
}
