package dev.largo.service.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.largo.api.model.EvaluationFigures;
import dev.largo.api.model.EvaluationSummary;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationKind;

/**
 * The ID/OOD summary of a job's evaluations (worker/engine/docs/largo.md §5), from the latest evaluation of each split:
 * ID accuracy over all in-domain examples; per OOD domain the accuracy over that domain's examples, then the
 * mean and the worst over domains. The same figures for the base reference show what fine-tuning gained
 * and what it cost.
 */
final class EvaluationSummaries {

    private EvaluationSummaries() {
    }

    /** @param classes the task's class count, for the chance level; null when unknown */
    static EvaluationSummary summarize(List<EvaluationEntity> rows, Integer classes) {
        Figures tuned = figures(rows, EvaluatedModel.FINE_TUNED);
        Figures base = figures(rows, EvaluatedModel.BASE_REFERENCE);
        Double chance = classes == null || classes < 1 ? null : 1.0 / classes;
        return new EvaluationSummary()
                .chanceAccuracy(chance)
                .atOrBelowChance(chance == null ? List.of() : ChanceLevel.domainsAtOrBelow(rows, chance))
                .idAccuracy(tuned.idAccuracy)
                .oodMeanAccuracy(tuned.oodMean)
                .oodWorstAccuracy(tuned.oodWorst)
                .baseReference(base.isEmpty() ? null
                        : new EvaluationFigures(base.idAccuracy, base.oodMean, base.oodWorst));
    }

    private record Figures(Double idAccuracy, Double oodMean, Double oodWorst) {
        boolean isEmpty() {
            return idAccuracy == null && oodMean == null;
        }
    }

    private static Figures figures(List<EvaluationEntity> rows, EvaluatedModel model) {
        Map<String, EvaluationEntity> latest = latest(rows, model);
        Accuracy id = new Accuracy();
        Map<String, Accuracy> oodByDomain = new LinkedHashMap<>();
        for (EvaluationEntity row : latest.values()) {
            if (row.getKind() == EvaluationKind.ID) {
                id.add(row);
            } else {
                String domain = row.getDomain() == null ? row.getSplitName() : row.getDomain();
                oodByDomain.computeIfAbsent(domain, d -> new Accuracy()).add(row);
            }
        }
        Double mean = null;
        Double worst = null;
        if (!oodByDomain.isEmpty()) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            for (Accuracy domain : oodByDomain.values()) {
                double value = domain.value();
                sum += value;
                min = Math.min(min, value);
            }
            mean = sum / oodByDomain.size();
            worst = min;
        }
        return new Figures(id.isEmpty() ? null : id.value(), mean, worst);
    }

    /** Each split's latest row of {@code model}: rows come oldest first, later rows of a split replace earlier ones. */
    static Map<String, EvaluationEntity> latest(List<EvaluationEntity> rows, EvaluatedModel model) {
        Map<String, EvaluationEntity> latest = new LinkedHashMap<>();
        for (EvaluationEntity row : rows) {
            if (row.getModel() == model) {
                latest.put(row.getSplitName(), row);
            }
        }
        return latest;
    }

    /** Accuracy over the examples of several splits: correct predictions / examples. */
    private static final class Accuracy {
        private double correct;
        private long count;
        private double unweightedSum;
        private int splits;

        void add(EvaluationEntity row) {
            correct += row.getAccuracy() * row.getCount();
            count += row.getCount();
            unweightedSum += row.getAccuracy();
            splits++;
        }

        boolean isEmpty() {
            return splits == 0;
        }

        double value() {
            // a split evaluated on zero examples has no weight; if all are empty fall back to the plain mean
            return count > 0 ? correct / count : unweightedSum / splits;
        }
    }
}
