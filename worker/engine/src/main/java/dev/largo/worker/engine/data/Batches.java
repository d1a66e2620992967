package dev.largo.worker.engine.data;

import java.util.Arrays;

/**
 * The order in which a training run visits examples: one seeded permutation per epoch (or the natural
 * order without shuffling), cut into batches. Its position can be saved with {@link #cursor()} and
 * restored with {@link #restore(Cursor)}, so a resumed run sees exactly the batches it would have seen.
 */
public final class Batches {

    private final int exampleCount;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int[] order;
    private SplitMix64 random;
    private long epochStartState;
    private int epoch;
    private int batchInEpoch;

    /**
     * Where a run is: the generator state from which the current epoch's permutation was drawn, the
     * epoch, and the next batch within it.
     */
    public record Cursor(long epochStartState, int epoch, int batchInEpoch) {
    }

    public Batches(int exampleCount, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        if (exampleCount <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need a positive example count and batch size, got "
                    + exampleCount + " and " + batchSize);
        }
        if (dropLast && batchSize > exampleCount) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + exampleCount
                    + " examples and drop_last would leave no batch");
        }
        this.exampleCount = exampleCount;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.order = new int[exampleCount];
        this.random = new SplitMix64(seed);
        startEpoch(0);
    }

    public int batchesPerEpoch() {
        return dropLast ? exampleCount / batchSize : (exampleCount + batchSize - 1) / batchSize;
    }

    /** The epoch (from 0) that the next batch belongs to. */
    public int epoch() {
        return epoch;
    }

    /** The index within its epoch of the batch {@link #next()} returns next. */
    public int batchInEpoch() {
        return batchInEpoch;
    }

    /** The example indices of the next batch; after an epoch's last batch the next epoch begins. */
    public int[] next() {
        int from = batchInEpoch * batchSize;
        int to = Math.min(from + batchSize, exampleCount);
        int[] batch = Arrays.copyOfRange(order, from, to);
        batchInEpoch++;
        if (batchInEpoch == batchesPerEpoch()) {
            startEpoch(epoch + 1);
        }
        return batch;
    }

    public Cursor cursor() {
        return new Cursor(epochStartState, epoch, batchInEpoch);
    }

    public void restore(Cursor cursor) {
        if (cursor.batchInEpoch() < 0 || cursor.batchInEpoch() >= batchesPerEpoch()) {
            throw new IllegalArgumentException("batch " + cursor.batchInEpoch() + " is outside an epoch of "
                    + batchesPerEpoch() + " batches");
        }
        random = new SplitMix64(cursor.epochStartState());
        startEpoch(cursor.epoch());
        batchInEpoch = cursor.batchInEpoch();
    }

    private void startEpoch(int newEpoch) {
        epoch = newEpoch;
        batchInEpoch = 0;
        epochStartState = random.state();
        for (int i = 0; i < exampleCount; i++) {
            order[i] = i;
        }
        if (shuffle) {
            random.shuffle(order);
        }
    }
}
