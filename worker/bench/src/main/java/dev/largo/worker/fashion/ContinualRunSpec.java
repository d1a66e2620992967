package dev.largo.worker.fashion;

/**
 * One continual run of the benchmark, complete enough for another process to run it (written as JSON).
 *
 * @param method a continual method id
 * @param evaluation {@link RunSpec#VALIDATION} (sweep: the first task alone, scored on its ID validation split)
 *     or {@link RunSpec#TEST} (all six tasks, every style's test set after every task)
 * @param workDirectory scratch (checkpoints, exports); deleted after the run
 */
public record ContinualRunSpec(String method, double learningRate, long seed, String evaluation, int epochs,
                               int batchSize, double warmupRatio, double gradClip, double weightDecay,
                               String dataDirectory, String baseModelDirectory, String workDirectory) {

    public ContinualRunSpec {
        if (!RunSpec.VALIDATION.equals(evaluation) && !RunSpec.TEST.equals(evaluation)) {
            throw new IllegalArgumentException("evaluation must be validation or test, found " + evaluation);
        }
    }

    public String label() {
        return "continual-" + method + "_" + evaluation + "_lr" + learningRate + "_seed" + seed;
    }
}
