package dev.largo.worker.sentiment;

import dev.largo.worker.fashion.BenchmarkArm;

/**
 * One single-task run: an arm (method or variant), its learning rate and seed, trained on the amazon rows and
 * evaluated on amazon-val ({@link #VALIDATION}, the sweep) or on the three test sets ({@link #TEST}).
 */
record SentimentRunSpec(BenchmarkArm arm, double learningRate, long seed, String evaluation, int epochs,
                        int headWarmupEpochs, int batchSize, int maxSeqLength, int trainRows, int evalRows,
                        String modelDirectory, String workDirectory) {

    static final String VALIDATION = "validation";
    static final String TEST = "test";

    String label() {
        return arm.slug() + "_" + evaluation + "_lr" + learningRate + "_seed" + seed;
    }
}
