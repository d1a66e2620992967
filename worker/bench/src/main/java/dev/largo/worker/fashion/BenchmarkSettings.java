package dev.largo.worker.fashion;

import dev.largo.worker.engine.train.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's fixed settings. Every method trains with the same epochs, batch size, warm-up ratio,
 * gradient clip and weight decay; only the learning rate differs, chosen per method by a sweep over
 * {@code learningRateGrid} on the task's ID validation split (never on test data), extended past the grid's edge
 * when the best rate lies on it ({@link LearningRateSweep}).
 *
 * @param seeds one run per seed (the seed drives the new head, LoRA inits and the batch order)
 * @param variantSeeds the seeds of the variants' runs (the first of {@code seeds} or all of them)
 * @param sweepSeed the seed of the sweep's runs
 * @param headWarmupEpochs head-only epochs before the warm-up variants' {@code epochs}
 * @param learningRateGrid candidate learning rates by method id
 * @param variants whether to run {@link BenchmarkArm#variants()} as well
 * @param trainLimit use only the first n training images (quick mode), or null for all 2,000
 * @param validationLimit likewise for the 1,000 validation images
 * @param testLimit likewise for each style's 5,000 test images
 */
public record BenchmarkSettings(int epochs, int batchSize, List<Long> seeds, List<Long> variantSeeds, long sweepSeed, int headWarmupEpochs,
                                double warmupRatio, double gradClip, double weightDecay,
                                Map<String, List<Double>> learningRateGrid, boolean variants, Integer trainLimit,
                                Integer validationLimit, Integer testLimit) {

    public BenchmarkSettings {
        seeds = List.copyOf(seeds);
        variantSeeds = List.copyOf(variantSeeds);
        learningRateGrid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(learningRateGrid));
        for (MethodType type : MethodType.values()) {
            List<Double> grid = learningRateGrid.get(type.id());
            if (grid == null || grid.isEmpty()) {
                throw new IllegalArgumentException("no learning rates to sweep for " + type.id());
            }
        }
        if (seeds.isEmpty() || variantSeeds.isEmpty()) {
            throw new IllegalArgumentException("need at least one seed");
        }
    }

    /**
     * The protocol: 10 epochs, batch 64 (as the reference run), three seeds, and for each method the sweep its
     * registration declares (three points around its worker/engine/docs/largo.md §3 default).
     */
    public static BenchmarkSettings standard() {
        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (MethodType type : MethodType.values()) {
            grid.put(type.id(), type.method().learningRateGrid());
        }
        return new BenchmarkSettings(10, 64, List.of(0L, 1L, 2L), List.of(0L, 1L, 2L), 0L, 10, 0.1, 1.0, 0.0, grid, true, null, null, null);
    }

    /**
     * CI-sized: one seed, one epoch on 128 training images (two steps), 64 validation and 64 test images per
     * style, each method at its worker/engine/docs/largo.md §3 default learning rate (no sweep runs), no variants. Checks that
     * everything runs, not what the numbers are.
     */
    public static BenchmarkSettings quick() {
        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (MethodType type : MethodType.values()) {
            grid.put(type.id(), List.of(type.defaultLearningRate()));
        }
        return new BenchmarkSettings(1, 64, List.of(0L), List.of(0L), 0L, 1, 0.1, 1.0, 0.0, grid, false, 128, 64, 64);
    }

    /** These seeds for the methods and the variants alike. */
    public BenchmarkSettings withSeeds(List<Long> newSeeds) {
        return new BenchmarkSettings(epochs, batchSize, newSeeds, newSeeds, sweepSeed, headWarmupEpochs, warmupRatio, gradClip,
                weightDecay, learningRateGrid, variants, trainLimit, validationLimit, testLimit);
    }

    /** The variants run with the first {@code count} of the seeds. */
    public BenchmarkSettings withVariantSeedCount(int count) {
        if (count > seeds.size()) {
            throw new IllegalArgumentException("--variant-seeds " + count + " exceeds the " + seeds.size() + " seeds");
        }
        return new BenchmarkSettings(epochs, batchSize, seeds, seeds.subList(0, count), sweepSeed, headWarmupEpochs,
                warmupRatio, gradClip, weightDecay, learningRateGrid, variants, trainLimit, validationLimit, testLimit);
    }

    public BenchmarkSettings withEpochs(int newEpochs) {
        return new BenchmarkSettings(newEpochs, batchSize, seeds, variantSeeds, sweepSeed, headWarmupEpochs, warmupRatio, gradClip,
                weightDecay, learningRateGrid, variants, trainLimit, validationLimit, testLimit);
    }

    public BenchmarkSettings withVariants(boolean runVariants) {
        return new BenchmarkSettings(epochs, batchSize, seeds, variantSeeds, sweepSeed, headWarmupEpochs, warmupRatio, gradClip,
                weightDecay, learningRateGrid, runVariants, trainLimit, validationLimit, testLimit);
    }
}
