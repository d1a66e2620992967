package dev.largo.worker.fashion;

/**
 * One training run of the benchmark, complete enough for another process to run it (written as JSON).
 *
 * @param evaluation {@link #VALIDATION} (sweep runs: the ID validation split only) or {@link #TEST} (the six
 *     styled test sets: clean is ID, the others OOD)
 * @param dataDirectory a {@link BenchmarkData} directory
 * @param baseModelDirectory holds the base model's config.json and model.safetensors
 * @param workDirectory the run's scratch directory (checkpoints, exports); deleted after the run
 * @param frontierPoints alphas of the WiSE-FT curve evaluated after training (0: none), on the validation split
 *     and, for test runs, on the test sets
 * @param frontierTestImages the first this many images of each test set for the curve (null: all)
 */
public record RunSpec(BenchmarkArm arm, double learningRate, long seed, String evaluation, int epochs, int batchSize,
                      int headWarmupEpochs, double warmupRatio, double gradClip, double weightDecay,
                      String dataDirectory, String baseModelDirectory, String workDirectory, int frontierPoints,
                      Integer frontierTestImages) {

    public RunSpec(BenchmarkArm arm, double learningRate, long seed, String evaluation, int epochs, int batchSize,
                   int headWarmupEpochs, double warmupRatio, double gradClip, double weightDecay,
                   String dataDirectory, String baseModelDirectory, String workDirectory) {
        this(arm, learningRate, seed, evaluation, epochs, batchSize, headWarmupEpochs, warmupRatio, gradClip,
                weightDecay, dataDirectory, baseModelDirectory, workDirectory, 0, null);
    }

    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    public RunSpec {
        if (!VALIDATION.equals(evaluation) && !TEST.equals(evaluation)) {
            throw new IllegalArgumentException("evaluation must be validation or test, found " + evaluation);
        }
    }

    /** A short label for logs and file names. */
    public String label() {
        return arm.slug() + "_" + evaluation + "_lr" + learningRate + "_seed" + seed;
    }
}
