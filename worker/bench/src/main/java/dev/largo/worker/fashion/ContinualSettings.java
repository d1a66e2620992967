package dev.largo.worker.fashion;

import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.method.MethodRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The continual benchmark's settings (worker/engine/docs/gorp.md §4's fashion-shift sequence). Every method trains each task with the
 * same epochs, batch size, warm-up ratio, clip and weight decay; the learning rate is chosen per method by a
 * sweep over {@code learningRateGrid} on the FIRST task only (clean), scored on its ID validation split; joint
 * takes lora's rate (it trains the same adapter).
 *
 * @param methods continual method ids, in the table's order
 * @param testLimit test images per style used for the accuracy matrix (null: all 5,000)
 */
public record ContinualSettings(int epochs, int batchSize, List<Long> seeds, long sweepSeed, double warmupRatio,
                                double gradClip, double weightDecay, List<String> methods,
                                Map<String, List<Double>> learningRateGrid, Integer trainLimit, Integer validationLimit,
                                Integer testLimit) {

    public ContinualSettings {
        seeds = List.copyOf(seeds);
        methods = List.copyOf(methods);
        learningRateGrid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(learningRateGrid));
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("need at least one seed");
        }
        for (String method : methods) {
            ContinualMethod.fromId(method);
            if (!method.equals(ContinualMethod.JOINT.id())
                    && (learningRateGrid.get(method) == null || learningRateGrid.get(method).isEmpty())) {
                throw new IllegalArgumentException("no learning rates to sweep for " + method);
            }
        }
        if (methods.contains(ContinualMethod.JOINT.id()) && !methods.contains(ContinualMethod.LORA.id())) {
            throw new IllegalArgumentException("joint takes lora's learning rate: run lora too");
        }
    }

    private static final List<String> ALL = List.of("gorp", "lora", "full", "largo", "joint");

    /**
     * 3 epochs per task, batch 64, three seeds, the sweep each method's registration declares (joint declares
     * none: it takes lora's rate), 1,000 test images per style (the first 1,000 of each style's 5,000, to keep 36
     * evaluations per run affordable).
     */
    public static ContinualSettings standard() {
        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (String method : ALL) {
            List<Double> rates = MethodRegistry.get(method).learningRateGrid();
            if (!rates.isEmpty()) {
                grid.put(method, rates);
            }
        }
        return new ContinualSettings(3, 64, List.of(0L, 1L, 2L), 0L, 0.1, 1.0, 0.0, ALL, grid, null, null, 1000);
    }

    /** CI-sized: one seed, one epoch on 128 images per task, 64 validation and test images, default rates. */
    public static ContinualSettings quick() {
        Map<String, List<Double>> grid = new LinkedHashMap<>();
        for (String method : ALL) {
            if (!method.equals("joint")) {
                grid.put(method, List.of(ContinualMethod.fromId(method).defaultLearningRate()));
            }
        }
        return new ContinualSettings(1, 64, List.of(0L), 0L, 0.1, 1.0, 0.0, ALL, grid, 128, 64, 64);
    }

    public ContinualSettings withSeeds(List<Long> newSeeds) {
        return new ContinualSettings(epochs, batchSize, newSeeds, sweepSeed, warmupRatio, gradClip, weightDecay, methods,
                learningRateGrid, trainLimit, validationLimit, testLimit);
    }

    public ContinualSettings withEpochs(int newEpochs) {
        return new ContinualSettings(newEpochs, batchSize, seeds, sweepSeed, warmupRatio, gradClip, weightDecay, methods,
                learningRateGrid, trainLimit, validationLimit, testLimit);
    }

    public ContinualSettings withMethods(List<String> newMethods) {
        return new ContinualSettings(epochs, batchSize, seeds, sweepSeed, warmupRatio, gradClip, weightDecay, newMethods,
                learningRateGrid, trainLimit, validationLimit, testLimit);
    }

    public ContinualSettings withTestLimit(Integer newLimit) {
        return new ContinualSettings(epochs, batchSize, seeds, sweepSeed, warmupRatio, gradClip, weightDecay, methods,
                learningRateGrid, trainLimit, validationLimit, newLimit);
    }
}
