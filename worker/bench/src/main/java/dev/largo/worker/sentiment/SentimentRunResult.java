package dev.largo.worker.sentiment;

import java.util.Map;

/**
 * What a single-task run measured: accuracy per domain (amazon is ID; yelp and sst2 OOD; a sweep run has amazon
 * validation only), the ID loss (breaks sweep ties), cost figures. Peak memory is the benchmark process's so far
 * (runs share one process).
 */
record SentimentRunResult(SentimentRunSpec spec, Map<String, Double> accuracyByDomain, double idAccuracy,
                          Double oodMeanAccuracy, Double oodWorstAccuracy, double idLoss, long trainableParameters,
                          long steps, double medianStepMillis, double peakMemoryMib, double wallSeconds) {
}
