package dev.largo.worker.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A text dataset tokenized once (per job, not per epoch): token ids and token type ids per row, unpadded, with
 * the labels. Batches are padded when they are cut, to their own longest row.
 */
public record TokenizedDataset(long[][] ids, long[][] typeIds, int[] labels, List<String> classNames) {

    public TokenizedDataset {
        if (ids.length != labels.length || typeIds.length != labels.length) {
            throw new IllegalArgumentException(ids.length + " token rows, " + typeIds.length + " type rows but "
                    + labels.length + " labels");
        }
        classNames = List.copyOf(classNames);
    }

    /** Tokenizes every text of {@code data} with {@code tokenizer} (truncated to its maximum length). */
    public static TokenizedDataset of(TextDataset data, TextTokenizer tokenizer) {
        TextTokenizer.Tokens tokens = tokenizer.encode(data.texts());
        return new TokenizedDataset(tokens.ids(), tokens.typeIds(), data.labels().clone(), data.classNames());
    }

    public int size() {
        return labels.length;
    }

    /** The rows {@code indices}, padded to their longest row with {@code padId}. */
    public TokenBatch batch(int[] indices, long padId, NDManager manager) {
        return TokenBatch.pad(ids, typeIds, indices, padId, manager);
    }

    /** The labels of the rows {@code indices}, int64 [N]. */
    public NDArray labels(int[] indices, NDManager manager) {
        long[] selected = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = labels[indices[i]];
        }
        return manager.create(selected);
    }
}
