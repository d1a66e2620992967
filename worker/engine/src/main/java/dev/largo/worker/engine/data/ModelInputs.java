package dev.largo.worker.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.model.Classifier;
import java.util.List;

/**
 * A model's input preparation, supplied by its architecture ({@code model.Architecture#inputs}): turns rows of
 * {@link LabelledData} into what the model reads and runs its forward pass over them. Images: resized and
 * normalised pixels ({@link ImageBatcher}); texts: token ids tokenized once per dataset and padded per batch
 * ({@link TokenInputs}). The trainer, the evaluator and the base reference see only this.
 */
public interface ModelInputs extends AutoCloseable {

    /**
     * Class scores [rows, labels] of {@code model} for the rows {@code rows} of {@code data}, every array on
     * {@code manager} (run inside the model's {@code ForwardScope}).
     *
     * @throws IllegalArgumentException when the data or the model is of another modality than these inputs
     */
    NDArray logits(Classifier model, LabelledData data, int[] rows, NDManager manager);

    /** The data's examples of every part, in order (a joint continual run trains on all tasks' data at once). */
    LabelledData concat(List<LabelledData> parts);

    /** What the preparation does, for a run's config hash (normalisation, tokenizer and length). */
    String fingerprint();

    /** Releases native resources (a tokenizer); nothing by default. */
    @Override
    default void close() {
    }

    /** Labels [rows] int64 of the rows {@code rows}. */
    default NDArray labels(LabelledData data, int[] rows, NDManager manager) {
        long[] out = new long[rows.length];
        int[] labels = data.labels();
        for (int b = 0; b < rows.length; b++) {
            out[b] = labels[rows[b]];
        }
        return manager.create(out, new Shape(rows.length));
    }
}
