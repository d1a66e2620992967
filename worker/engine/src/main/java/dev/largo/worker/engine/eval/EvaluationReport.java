package dev.largo.worker.engine.eval;

import java.util.List;

/**
 * One evaluation of one model over all splits.
 *
 * @param epoch the epoch just finished (null for the base reference)
 * @param step the training step (null for the base reference)
 * @param model {@link #FINE_TUNED} or {@link #BASE}
 */
public record EvaluationReport(Integer epoch, Long step, String model, List<EvaluatedSplit> splits,
                               EvalSummary summary) {

    public static final String FINE_TUNED = "fine_tuned";
    /** The unmodified base backbone with a converged logistic-regression head ({@code reference.BaseReference}). */
    public static final String BASE = "base";

    public EvaluationReport {
        splits = List.copyOf(splits);
    }
}
