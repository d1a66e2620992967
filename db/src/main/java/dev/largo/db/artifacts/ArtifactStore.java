package dev.largo.db.artifacts;

import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

/**
 * Where datasets, base model weights, checkpoints and adapters are kept. Implementations stream: neither
 * {@link #put} nor {@link #open} holds a whole file in memory.
 */
public interface ArtifactStore {

    /** Common values of {@code kind}. */
    String KIND_DATASET = "dataset";
    String KIND_MODEL_WEIGHTS = "model_weights";
    /** A text model's tokenizer.json or tokenizer_config.json. */
    String KIND_TOKENIZER = "tokenizer";
    String KIND_CHECKPOINT = "checkpoint";
    String KIND_ADAPTER = "adapter";
    String KIND_MERGED_MODEL = "merged_model";

    /**
     * Stores everything {@code in} yields (the caller closes {@code in}) and records its size and SHA-256.
     * Takes part in the caller's transaction when there is one, so a failure after {@code put} in that
     * transaction leaves nothing behind; without one, the upload is its own transaction.
     *
     * @throws java.io.UncheckedIOException if reading {@code in} fails (nothing is kept)
     */
    ArtifactRef put(String kind, String filename, String contentType, InputStream in);

    /**
     * The content, read lazily. The stream verifies at its end that it delivered exactly the recorded size.
     *
     * @throws ArtifactNotFoundException if there is no such artifact
     */
    InputStream open(UUID id);

    Optional<ArtifactRef> find(UUID id);

    /** Deletes the artifact and its content; does nothing if it does not exist. */
    void delete(UUID id);
}
