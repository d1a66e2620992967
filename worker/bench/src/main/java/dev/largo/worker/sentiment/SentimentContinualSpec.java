package dev.largo.worker.sentiment;

import dev.largo.worker.engine.continual.ContinualMethod;

/** One continual run over amazon -> yelp -> sst2 (domain-incremental, one head). */
record SentimentContinualSpec(ContinualMethod method, double learningRate, long seed, int epochs, int batchSize,
                              int maxSeqLength, int trainRowsPerTask, int evalRows, String modelDirectory,
                              String workDirectory) {

    String label() {
        return "continual_" + method.id() + "_lr" + learningRate + "_seed" + seed;
    }
}
