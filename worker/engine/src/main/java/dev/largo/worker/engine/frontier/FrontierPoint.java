package dev.largo.worker.engine.frontier;

import java.util.Map;

/**
 * The fine-tuned model interpolated at {@code alpha}, evaluated (accuracies as fractions).
 *
 * @param idAccuracy pooled accuracy of the ID splits (null without one)
 * @param oodMeanAccuracy mean over the OOD domains (null without one)
 * @param oodWorstAccuracy the worst OOD domain (null without one)
 * @param accuracyBySplit each evaluation split's accuracy, by split name
 */
public record FrontierPoint(double alpha, Double idAccuracy, Double oodMeanAccuracy, Double oodWorstAccuracy,
                            Map<String, Double> accuracyBySplit) {

    public FrontierPoint {
        accuracyBySplit = Map.copyOf(accuracyBySplit);
    }
}
