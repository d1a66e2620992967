package dev.largo.worker.engine.frontier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluatedSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ModelLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Evaluates a fine-tuned model along its WiSE-FT interpolation ({@link WeightInterpolation}): one model is loaded
 * from the merged fine-tuned folder, and for each alpha its tensors are overwritten with theta(alpha) and every
 * split is evaluated, so a whole curve costs one model's memory and |alphas| evaluations.
 */
public final class FrontierEvaluator {

    /** Told after each point, so a caller can report progress. */
    @FunctionalInterface
    public interface PointListener {
        void onPoint(int done, int total, FrontierPoint point);
    }

    /** Thrown when the caller asked to stop between points. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("frontier evaluation cancelled");
        }
    }

    private final Evaluator evaluator;

    public FrontierEvaluator(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    /**
     * @param mergedConfig the merged fine-tuned model's config.json (the task's labels)
     * @param interpolation theta0 and theta_ft, naming exactly the merged model's tensors
     */
    public Frontier evaluate(Path mergedConfig, Path mergedWeights, WeightInterpolation interpolation,
                             List<EvalSplit> splits, List<Double> alphas, NDManager parent, PointListener listener,
                             BooleanSupplier cancelRequested) throws IOException {
        alphas.forEach(WeightInterpolation::requireAlpha);
        List<FrontierPoint> points = new ArrayList<>();
        try (NDManager manager = parent.newSubManager();
                Classifier model = ModelLoader.load(mergedConfig, mergedWeights, manager)) {
            Map<String, NDArray> tensors = model.tensors();
            if (!tensors.keySet().equals(interpolation.names())) {
                throw new IllegalArgumentException("the interpolation names " + interpolation.names()
                        + " but the model has " + tensors.keySet());
            }
            for (double alpha : alphas) {
                if (cancelRequested.getAsBoolean()) {
                    throw new CancelledException();
                }
                for (Map.Entry<String, NDArray> tensor : tensors.entrySet()) {
                    tensor.getValue().set(interpolation.at(tensor.getKey(), alpha));
                }
                EvaluationReport report = evaluator.evaluate(model, splits, null, null, EvaluationReport.FINE_TUNED);
                FrontierPoint point = point(alpha, report);
                points.add(point);
                listener.onPoint(points.size(), alphas.size(), point);
            }
        }
        return new Frontier(points);
    }

    static FrontierPoint point(double alpha, EvaluationReport report) {
        Map<String, Double> bySplit = new LinkedHashMap<>();
        for (EvaluatedSplit split : report.splits()) {
            bySplit.put(split.split(), split.metrics().accuracy());
        }
        return new FrontierPoint(alpha, report.summary().idAccuracy(), report.summary().oodMeanAccuracy(),
                report.summary().oodWorstAccuracy(), bySplit);
    }
}
