package dev.largo.worker.engine.model;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.TextTokenizer;
import java.nio.file.Path;

/**
 * What an architecture needs to build a job's {@link dev.largo.worker.engine.data.ModelInputs}.
 *
 * @param modelDirectory the model folder (a text model's {@code tokenizer.json} lies there)
 * @param imageMean per-channel normalisation mean of an image model (Hugging Face ViT: 0.5)
 * @param imageStd per-channel normalisation std of an image model
 * @param maxSeqLength a text model's {@code max_seq_length} (tokens per row, special tokens included)
 */
public record InputSettings(Path modelDirectory, float[] imageMean, float[] imageStd, int maxSeqLength) {

    /** The defaults for a model folder: ViT normalisation, 128 tokens. */
    public static InputSettings defaults(Path modelDirectory) {
        return new InputSettings(modelDirectory, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD,
                TextTokenizer.DEFAULT_MAX_SEQ_LENGTH);
    }

    /** The same with another {@code max_seq_length}. */
    public InputSettings withMaxSeqLength(int length) {
        return new InputSettings(modelDirectory, imageMean, imageStd, length);
    }
}
