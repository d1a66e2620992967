package dev.largo.worker.engine.data;

/**
 * Bounds on what a reader accepts, so a hostile or broken upload fails with a clear error instead of
 * exhausting memory: zip bombs, huge image headers, endless lines, absurd label values.
 *
 * @param maxEntries most archive entries (or JSONL rows, or examples)
 * @param maxTotalBytes most uncompressed bytes read from the file as a whole
 * @param maxImagePixels most pixels (height x width) of one image
 * @param maxClasses most distinct labels
 * @param maxRowBytes most bytes of one JSONL row
 */
public record DatasetLimits(long maxEntries, long maxTotalBytes, long maxImagePixels, int maxClasses,
                            int maxRowBytes) {

    /** 1,000,000 entries, 4 GiB, 4096 x 4096 images, 100,000 classes, 1 MiB rows. */
    public static final DatasetLimits DEFAULT =
            new DatasetLimits(1_000_000, 4L << 30, 4096L * 4096, 100_000, 1 << 20);

    public DatasetLimits {
        if (maxEntries <= 0 || maxTotalBytes <= 0 || maxImagePixels <= 0 || maxClasses < 2 || maxRowBytes <= 0) {
            throw new IllegalArgumentException("dataset limits must be positive (and allow 2 classes)");
        }
    }
}
