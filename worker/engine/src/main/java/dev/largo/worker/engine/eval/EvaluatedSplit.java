package dev.largo.worker.engine.eval;

/**
 * One evaluation split's metrics with its tag (worker/engine/docs/largo.md §5).
 *
 * @param split the split's name, e.g. {@code test_rotate}
 * @param inDomain true for in-domain (ID) splits, false for out-of-distribution ones
 * @param domain the domain name (e.g. {@code rotate}); OOD splits of the same domain are pooled
 */
public record EvaluatedSplit(String split, boolean inDomain, String domain, SplitMetrics metrics) {
}
