package dev.largo.worker.sentiment;

import java.util.Map;

/**
 * What a single-task run measured: amazon-val accuracy and loss (the learning-rate choice; the loss breaks ties),
 * test accuracy per domain (amazon is ID; yelp and sst2 OOD), cost figures. Peak memory is the benchmark process's
 * so far (runs share one process).
 */
record SentimentRunResult(SentimentRunSpec spec, double validationAccuracy, double validationLoss,
                          Map<String, Double> accuracyByDomain, double idAccuracy, double oodMeanAccuracy,
                          double oodWorstAccuracy, long trainableParameters,
                          long steps, double medianStepMillis, double peakMemoryMib, double wallSeconds) {
}
