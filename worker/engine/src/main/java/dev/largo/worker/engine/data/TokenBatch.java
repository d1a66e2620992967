package dev.largo.worker.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * One padded batch of token sequences, each array [N, T] int64 with T the longest row of the batch (not the
 * maximum sequence length: short batches stay short). Rows are right-padded with the model's pad id and the
 * attention mask is 1 on real tokens, 0 on padding, as Hugging Face models take them.
 */
public record TokenBatch(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {

    public TokenBatch {
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2 || !attentionMask.getShape().equals(shape) || !tokenTypeIds.getShape().equals(shape)) {
            throw new IllegalArgumentException("input ids, attention mask and token type ids must share one [N, T] shape,"
                    + " got " + shape + ", " + attentionMask.getShape() + ", " + tokenTypeIds.getShape());
        }
    }

    /**
     * Pads the selected rows to the longest of them.
     *
     * @param ids token ids per row (each non-empty)
     * @param typeIds token type ids per row, the same lengths as {@code ids}
     * @param rows which rows form the batch, in batch order
     * @param padId the id written into padded positions (the model's {@code pad_token_id})
     */
    public static TokenBatch pad(long[][] ids, long[][] typeIds, int[] rows, long padId, NDManager manager) {
        int longest = 0;
        for (int row : rows) {
            longest = Math.max(longest, ids[row].length);
        }
        int n = rows.length;
        long[] inputIds = new long[n * longest];
        long[] mask = new long[n * longest];
        long[] types = new long[n * longest];
        java.util.Arrays.fill(inputIds, padId);
        for (int i = 0; i < n; i++) {
            long[] rowIds = ids[rows[i]];
            System.arraycopy(rowIds, 0, inputIds, i * longest, rowIds.length);
            System.arraycopy(typeIds[rows[i]], 0, types, i * longest, rowIds.length);
            java.util.Arrays.fill(mask, i * longest, i * longest + rowIds.length, 1L);
        }
        Shape shape = new Shape(n, longest);
        return new TokenBatch(manager.create(inputIds, shape), manager.create(mask, shape), manager.create(types, shape));
    }

    /** Rows in the batch. */
    public long size() {
        return inputIds.getShape().get(0);
    }

    /** Positions per row (the longest row of the batch). */
    public long length() {
        return inputIds.getShape().get(1);
    }
}
