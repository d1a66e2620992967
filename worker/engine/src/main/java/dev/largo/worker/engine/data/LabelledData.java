package dev.largo.worker.engine.data;

import java.security.MessageDigest;
import java.util.List;

/**
 * Labelled examples of any modality, as the job machinery sees them (training data, evaluation splits): a count,
 * a class per example and the class names. What an example is (pixels, a text) matters only to the model's
 * {@link ModelInputs}, which turns rows into the model's input.
 */
public interface LabelledData {

    /** Examples. */
    int count();

    /** Class index per example, in {@code [0, classNames().size())}. */
    int[] labels();

    /** Label names; index = label. */
    List<String> classNames();

    /** Feeds every byte that identifies the examples and their labels (a run's config hash covers its data). */
    void fingerprint(MessageDigest digest);
}
