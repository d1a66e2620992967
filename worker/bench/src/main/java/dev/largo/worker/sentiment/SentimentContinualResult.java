package dev.largo.worker.sentiment;

import java.util.List;

/**
 * A continual run's accuracy matrix (row: after task; column: tested on; joint fills only the last row) with its
 * average accuracy and backward transfer, and cost figures.
 */
record SentimentContinualResult(SentimentContinualSpec spec, List<String> tasks, double[][] accuracy,
                                double averageAccuracy, double backwardTransfer, long trainableParameters,
                                double medianStepMillis, double peakMemoryMib, double wallSeconds) {
}
