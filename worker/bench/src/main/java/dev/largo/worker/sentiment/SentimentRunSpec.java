package dev.largo.worker.sentiment;

import dev.largo.worker.fashion.BenchmarkArm;

/**
 * One single-task run: an arm (method or variant), its learning rate and seed, trained on the amazon rows and
 * evaluated on amazon-val and the three test sets. Learning rates are chosen on the amazon-val accuracy of the seed-0
 * runs of each candidate, which then serve as the chosen rate's seed-0 test runs (one training per candidate, not
 * two).
 */
record SentimentRunSpec(BenchmarkArm arm, double learningRate, long seed, int epochs,
                        int headWarmupEpochs, int batchSize, int maxSeqLength, int trainRows, int evalRows,
                        String modelDirectory, String workDirectory) {

    String label() {
        return arm.slug() + "_lr" + learningRate + "_seed" + seed;
    }
}
