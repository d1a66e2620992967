package dev.largo.service.jobs;

import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Domains where nothing was learned: the fine-tuned model and the base reference both at or below chance. A
 * "gain" or "loss" there compares two guesses (the fashion-shift `invert` domain, where every method sits at
 * about 20 % for 5 classes), so the summary names such domains and the dashboard marks them.
 */
final class ChanceLevel {

    /** Accuracies are counts over examples: a hair above chance from rounding is still chance. */
    private static final double TOLERANCE = 1e-9;

    private ChanceLevel() {
    }

    /** The domains (else split names) whose latest fine-tuned and base rows are all at or below {@code chance}. */
    static List<String> domainsAtOrBelow(List<EvaluationEntity> rows, double chance) {
        Map<String, EvaluationEntity> tuned = EvaluationSummaries.latest(rows, EvaluatedModel.FINE_TUNED);
        Map<String, EvaluationEntity> base = EvaluationSummaries.latest(rows, EvaluatedModel.BASE_REFERENCE);
        Map<String, Boolean> byDomain = new LinkedHashMap<>();
        for (Map.Entry<String, EvaluationEntity> entry : tuned.entrySet()) {
            EvaluationEntity reference = base.get(entry.getKey());
            String domain = entry.getValue().getDomain() == null ? entry.getKey() : entry.getValue().getDomain();
            boolean atChance = reference != null && entry.getValue().getAccuracy() <= chance + TOLERANCE
                    && reference.getAccuracy() <= chance + TOLERANCE;
            byDomain.merge(domain, atChance, Boolean::logicalAnd);
        }
        List<String> domains = new ArrayList<>();
        byDomain.forEach((domain, atChance) -> {
            if (atChance) {
                domains.add(domain);
            }
        });
        return domains;
    }
}
