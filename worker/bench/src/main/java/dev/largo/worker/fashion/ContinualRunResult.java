package dev.largo.worker.fashion;

import java.util.List;

/**
 * What one continual run measured.
 *
 * @param accuracy the accuracy matrix a[j][i] (null where never measured: joint's rows before the last)
 * @param averageAccuracy AA (the sweep: the validation accuracy after the first task)
 * @param backwardTransfer BWT, or null where undefined (joint, the sweep)
 */
public record ContinualRunResult(ContinualRunSpec spec, List<String> taskNames, Double[][] accuracy,
                                 double averageAccuracy, Double backwardTransfer, long trainableParameters,
                                 double medianStepMillis, double peakMemoryMib, double wallSeconds) {
}
