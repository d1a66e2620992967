package dev.largo.worker.engine.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headline figures of an evaluation (worker/engine/docs/largo.md §5): in-domain accuracy, and the mean and
 * worst accuracy over out-of-distribution domains. ID accuracy pools all ID examples; each OOD domain's
 * accuracy pools its splits' examples, and the mean and worst are taken over domains (each domain
 * counts once, whatever its size). Null where there is no split of that kind.
 */
public record EvalSummary(Double idAccuracy, Double oodMeanAccuracy, Double oodWorstAccuracy, String oodWorstDomain,
                          Map<String, Double> oodAccuracyByDomain) {

    public static EvalSummary of(List<EvaluatedSplit> splits) {
        long idCount = 0;
        double idCorrect = 0;
        Map<String, double[]> domains = new LinkedHashMap<>(); // domain -> {correct, count}
        for (EvaluatedSplit split : splits) {
            SplitMetrics m = split.metrics();
            if (m.count() == 0) {
                continue;
            }
            if (split.inDomain()) {
                idCount += m.count();
                idCorrect += m.accuracy() * m.count();
            } else {
                double[] pooled = domains.computeIfAbsent(split.domain() == null ? split.split() : split.domain(),
                        d -> new double[2]);
                pooled[0] += m.accuracy() * m.count();
                pooled[1] += m.count();
            }
        }
        Map<String, Double> byDomain = new LinkedHashMap<>();
        domains.forEach((domain, pooled) -> byDomain.put(domain, pooled[0] / pooled[1]));
        Double mean = byDomain.isEmpty() ? null
                : byDomain.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        String worstDomain = null;
        Double worst = null;
        for (Map.Entry<String, Double> entry : byDomain.entrySet()) {
            if (worst == null || entry.getValue() < worst) {
                worst = entry.getValue();
                worstDomain = entry.getKey();
            }
        }
        return new EvalSummary(idCount == 0 ? null : idCorrect / idCount, mean, worst, worstDomain, byDomain);
    }
}
