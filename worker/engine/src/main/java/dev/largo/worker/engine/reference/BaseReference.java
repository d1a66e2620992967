package dev.largo.worker.engine.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.support.Arrays;
import java.util.List;

/**
 * The base reference a job's gains are measured against: the unmodified base backbone with the best linear head
 * its frozen features allow, i.e. a converged L2-regularised logistic regression ({@link LogisticProbe}) on the
 * features of the training rows, computed once ({@link FeatureExtractor}). It depends on the base model and the
 * data only: not on the job's seed, method, learning rate or epochs.
 *
 * <p>At most {@link #MAX_ROWS} training rows are embedded, evenly spaced over the dataset, so the fit's memory
 * and time stay bounded on large datasets.
 */
public final class BaseReference {

    public static final int MAX_ROWS = 20_000;

    /** What the reference is, as the API and dashboard describe it. */
    public static final String DESCRIPTION = "base model with a converged logistic-regression head (L-BFGS, L2 chosen"
            + " on held-out training rows) on its frozen features";

    /** The reference's evaluation and the probe behind it. */
    public record Result(EvaluationReport report, LogisticProbe.Fit fit) {
    }

    private BaseReference() {
    }

    /**
     * Replaces {@code model}'s head by the fitted probe and evaluates it on {@code splits}.
     *
     * @param model the base model (its current head is discarded)
     * @param labels the task's label names (the training dataset's classes)
     */
    public static Result evaluate(Classifier model, LabelledData train, List<String> labels,
                                  List<EvalSplit> splits, ModelInputs inputs, int batchSize,
                                  FeatureExtractor.Cancellation cancel) {
        FeatureMatrix features = FeatureExtractor.extract(model, train, rows(train.count()), inputs, batchSize,
                cancel);
        LogisticProbe.Fit fit = LogisticProbe.fit(features, labels.size());
        DataType dtype = model.linears().get("classifier").bias().getDataType();
        NDArray weight = Arrays.create(fit.weight(), new Shape(fit.classes(), fit.dim()), dtype, model.manager());
        NDArray bias = Arrays.create(fit.bias(), new Shape(fit.classes()), dtype, model.manager());
        model.replaceHead(labels, weight, bias);
        EvaluationReport report = new Evaluator(inputs, batchSize).evaluate(model, splits, null, null,
                EvaluationReport.BASE);
        return new Result(report, fit);
    }

    /** Every row, or {@link #MAX_ROWS} evenly spaced ones. */
    static int[] rows(int count) {
        int kept = Math.min(count, MAX_ROWS);
        int[] rows = new int[kept];
        for (int i = 0; i < kept; i++) {
            rows[i] = (int) ((long) i * count / kept);
        }
        return rows;
    }
}
