package dev.largo.worker.engine.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.support.Arrays;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen backbone's features (what the classifier head reads: the final layernorm of the CLS token for a
 * ViT), computed once per example. The model's head is replaced by the identity, so the forward pass is the
 * model's own and its "logits" are the features; the caller installs a real head afterwards.
 */
public final class FeatureExtractor {

    /** Polled between batches; true stops the extraction. */
    public interface Cancellation {
        boolean requested();
    }

    /** Thrown when {@link Cancellation#requested} said so. */
    public static final class CancelledException extends RuntimeException {
        public CancelledException() {
            super("feature extraction cancelled");
        }
    }

    private FeatureExtractor() {
    }

    /**
     * @param rows the dataset rows to embed, in this order
     */
    public static FeatureMatrix extract(Classifier model, LabelledData data, int[] rows, ModelInputs inputs,
                                        int batchSize, Cancellation cancel) {
        long dim = model.linears().get("classifier").inFeatures();
        installIdentityHead(model, (int) dim);
        double[] values = new double[Math.toIntExact(rows.length * dim)];
        int[] labels = new int[rows.length];
        for (int from = 0; from < rows.length; from += batchSize) {
            if (cancel.requested()) {
                throw new CancelledException();
            }
            int[] batch = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + batchSize));
            try (ForwardScope scope = ForwardScope.open(model)) {
                NDArray features = inputs.logits(model, data, batch, scope.manager());
                double[] batchValues = Arrays.toDoubles(features);
                System.arraycopy(batchValues, 0, values, Math.toIntExact(from * dim), batchValues.length);
            }
            for (int i = 0; i < batch.length; i++) {
                labels[from + i] = data.labels()[batch[i]];
            }
        }
        return new FeatureMatrix(rows.length, (int) dim, values, labels);
    }

    /** A head with weight I and bias 0 over {@code dim} pseudo-labels: its output is its input, exactly. */
    private static void installIdentityHead(Classifier model, int dim) {
        NDManager manager = model.manager();
        NDArray bias = model.linears().get("classifier").bias();
        List<String> names = new ArrayList<>(dim);
        for (int i = 0; i < dim; i++) {
            names.add("feature" + i);
        }
        NDArray eye = manager.eye(dim).toType(bias.getDataType(), false);
        NDArray zeros = manager.zeros(new Shape(dim), bias.getDataType());
        model.replaceHead(names, eye, zeros);
    }
}
