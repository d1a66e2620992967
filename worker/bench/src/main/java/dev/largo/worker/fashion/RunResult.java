package dev.largo.worker.fashion;

import dev.largo.worker.engine.frontier.Frontier;
import java.util.Map;

/**
 * What one run measured.
 *
 * @param accuracyByDomain accuracy per evaluated split's domain ({@code clean} is the ID test set, or the
 *     validation split in a sweep run)
 * @param idAccuracy accuracy on the ID split
 * @param oodMeanAccuracy mean over the OOD domains; null for sweep runs
 * @param oodWorstAccuracy the worst OOD domain's accuracy; null for sweep runs
 * @param idLoss mean cross-entropy on the ID split (breaks sweep ties)
 * @param trainableParameters scalars the method trained
 * @param medianStepMillis median wall time of a training step
 * @param peakMemoryMib the peak resident memory of the process that ran it
 * @param peakMemoryScope {@code run} when the run had its own process, {@code process} when it shared one
 * @param wallSeconds the run's wall time, evaluation and exports included
 * @param validationFrontier the WiSE-FT curve on the ID validation split (null when not asked for)
 * @param testFrontier the WiSE-FT curve on the test sets (null when not asked for, and for sweep runs)
 */
public record RunResult(RunSpec spec, Map<String, Double> accuracyByDomain, double idAccuracy, Double oodMeanAccuracy,
                        Double oodWorstAccuracy, double idLoss, long trainableParameters, long steps,
                        double medianStepMillis, double peakMemoryMib, String peakMemoryScope, double wallSeconds,
                        Frontier validationFrontier, Frontier testFrontier) {

    public RunResult(RunSpec spec, Map<String, Double> accuracyByDomain, double idAccuracy, Double oodMeanAccuracy,
                     Double oodWorstAccuracy, double idLoss, long trainableParameters, long steps,
                     double medianStepMillis, double peakMemoryMib, String peakMemoryScope, double wallSeconds) {
        this(spec, accuracyByDomain, idAccuracy, oodMeanAccuracy, oodWorstAccuracy, idLoss, trainableParameters, steps,
                medianStepMillis, peakMemoryMib, peakMemoryScope, wallSeconds, null, null);
    }
}
