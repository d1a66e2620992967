package dev.largo.worker.sentiment;

import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.fashion.BenchmarkArm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentiment-shift protocol's sizes, sized for the machine (BENCHMARKS.md states the choices).
 *
 * @param trainRows amazon-train rows every single-task run trains on
 * @param evalRows rows of amazon-val (sweep) and of each test set
 * @param continualTrainRows training rows of each domain of the continual sequence
 * @param sweep learning rates tried per method on amazon-val (seed 0); variants use their method's choice
 * @param arms the table's rows: the six methods, then variants ({@link BenchmarkArm}; add one here)
 * @param variantSeeds how many of {@code seeds} the variants run with
 * @param continualMethods GORP and its baselines on amazon -> yelp -> sst2
 */
record SentimentSettings(int trainRows, int evalRows, int continualTrainRows, int epochs, int batchSize,
                         int maxSeqLength, List<Long> seeds, int variantSeeds, Map<MethodType, List<Double>> sweep,
                         List<BenchmarkArm> arms, List<ContinualMethod> continualMethods, List<Long> continualSeeds) {

    /**
     * Sized for 2 shared cores under load (about 60 minutes): 96 amazon rows, 2 epochs (12 steps), 32 tokens (a
     * review's title and first words), 64 rows per evaluation set, 48 rows per continual task; two learning rates
     * for lora and largo, one for the others; variants only when asked for (--arms).
     */
    static SentimentSettings standard() {
        Map<MethodType, List<Double>> sweep = new LinkedHashMap<>();
        sweep.put(MethodType.LINEAR_PROBE, List.of(1e-2));
        sweep.put(MethodType.FULL, List.of(1e-4));
        sweep.put(MethodType.FTP, List.of(1e-4));
        sweep.put(MethodType.LORA, List.of(1e-3, 4e-3));
        sweep.put(MethodType.PISSA, List.of(1e-3));
        sweep.put(MethodType.LARGO, List.of(1e-3, 4e-3));
        return new SentimentSettings(96, 64, 48, 2, 16, 32, List.of(0L, 1L, 2L), 1, sweep, BenchmarkArm.methods(),
                List.of(ContinualMethod.GORP, ContinualMethod.LORA), List.of(0L));
    }

    /** CI-sized: every code path, minutes not hours. */
    static SentimentSettings quick() {
        Map<MethodType, List<Double>> sweep = new LinkedHashMap<>();
        for (MethodType type : MethodType.values()) {
            sweep.put(type, List.of(type.defaultLearningRate()));
        }
        return new SentimentSettings(32, 16, 16, 1, 16, 32, List.of(0L), 1, sweep, BenchmarkArm.methods(),
                List.of(ContinualMethod.GORP, ContinualMethod.LORA), List.of(0L));
    }

    SentimentSettings with(Integer train, Integer eval, Integer epochsOverride, Integer seqLength, Integer seedCount) {
        List<Long> newSeeds = seeds;
        if (seedCount != null) {
            newSeeds = new ArrayList<>();
            for (long s = 0; s < seedCount; s++) {
                newSeeds.add(s);
            }
        }
        return new SentimentSettings(train == null ? trainRows : train, eval == null ? evalRows : eval,
                continualTrainRows, epochsOverride == null ? epochs : epochsOverride,
                batchSize, seqLength == null ? maxSeqLength : seqLength, newSeeds, variantSeeds, sweep, arms,
                continualMethods, continualSeeds);
    }

    SentimentSettings withArms(List<BenchmarkArm> newArms, List<ContinualMethod> newContinual) {
        return new SentimentSettings(trainRows, evalRows, continualTrainRows, epochs, batchSize, maxSeqLength, seeds,
                variantSeeds, sweep, newArms, newContinual, continualSeeds);
    }
}
