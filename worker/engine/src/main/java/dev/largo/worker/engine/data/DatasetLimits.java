package dev.largo.worker.engine.data;

/**
 * Bounds on what a reader accepts, so a hostile or broken upload fails with a clear error instead of
 * exhausting memory or time: zip bombs, huge image headers, endless lines, absurd label values, headers
 * that announce more than the file holds. Each bound is a setting ({@code largo.limits.<key>}); an error
 * caused by one names it and its value through {@link #named}, so the user knows which knob refused them.
 *
 * @param maxExamples most images or rows of one dataset
 * @param maxZipEntries most entries of one zip archive (directories and metadata included)
 * @param maxUncompressedBytes most bytes read from a dataset file once inflated (zip entries, gzip IDX, JSONL)
 * @param maxImagePixels most pixels (height x width) of one image, checked from the image header
 * @param maxClasses most distinct labels
 * @param maxRowBytes most bytes of one JSONL row
 * @param maxSafetensorsHeaderBytes most bytes of a safetensors JSON header (datasets and model weights)
 */
public record DatasetLimits(long maxExamples, long maxZipEntries, long maxUncompressedBytes, long maxImagePixels,
                            int maxClasses, int maxRowBytes, long maxSafetensorsHeaderBytes) {

    public static final String MAX_EXAMPLES = "max-examples";
    public static final String MAX_ZIP_ENTRIES = "max-zip-entries";
    public static final String MAX_UNCOMPRESSED_BYTES = "max-uncompressed-bytes";
    public static final String MAX_IMAGE_PIXELS = "max-image-pixels";
    public static final String MAX_CLASSES = "max-classes";
    public static final String MAX_ROW_BYTES = "max-row-bytes";
    public static final String MAX_SAFETENSORS_HEADER_BYTES = "max-safetensors-header-bytes";

    /** Where the settings live; the service and the worker bind the same names. */
    public static final String PREFIX = "largo.limits.";

    /**
     * 1,000,000 examples, 2,000,000 zip entries, 4 GiB inflated, 4096 x 4096 images, 100,000 classes,
     * 1 MiB rows, 16 MiB safetensors headers.
     */
    public static final DatasetLimits DEFAULT = new DatasetLimits(1_000_000, 2_000_000, 4L << 30, 4096L * 4096,
            100_000, 1 << 20, 16L << 20);

    public DatasetLimits {
        if (maxExamples <= 0 || maxZipEntries <= 0 || maxUncompressedBytes <= 0 || maxImagePixels <= 0
                || maxClasses < 2 || maxRowBytes <= 0 || maxSafetensorsHeaderBytes < 2) {
            throw new IllegalArgumentException("dataset limits must be positive (and allow 2 classes and a"
                    + " 2-byte safetensors header)");
        }
    }

    /** "largo.limits.{@code key} is {@code value}", the end of every message a limit causes. */
    public static String named(String key, long value) {
        return PREFIX + key + " is " + value;
    }

    public DatasetLimits withMaxExamples(long value) {
        return new DatasetLimits(value, maxZipEntries, maxUncompressedBytes, maxImagePixels, maxClasses, maxRowBytes,
                maxSafetensorsHeaderBytes);
    }

    public DatasetLimits withMaxZipEntries(long value) {
        return new DatasetLimits(maxExamples, value, maxUncompressedBytes, maxImagePixels, maxClasses, maxRowBytes,
                maxSafetensorsHeaderBytes);
    }

    public DatasetLimits withMaxUncompressedBytes(long value) {
        return new DatasetLimits(maxExamples, maxZipEntries, value, maxImagePixels, maxClasses, maxRowBytes,
                maxSafetensorsHeaderBytes);
    }

    public DatasetLimits withMaxImagePixels(long value) {
        return new DatasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes, value, maxClasses, maxRowBytes,
                maxSafetensorsHeaderBytes);
    }

    public DatasetLimits withMaxRowBytes(int value) {
        return new DatasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes, maxImagePixels, maxClasses, value,
                maxSafetensorsHeaderBytes);
    }

    public DatasetLimits withMaxSafetensorsHeaderBytes(long value) {
        return new DatasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes, maxImagePixels, maxClasses,
                maxRowBytes, value);
    }

    /**
     * The most bytes one image file inside an archive may inflate to: enough for an uncompressed 16-bit RGBA
     * image of {@link #maxImagePixels} plus 1 MiB of chunks, so an entry larger than that cannot be an image
     * this reader would accept and is refused before it is buffered.
     */
    long maxImageFileBytes() {
        return Math.min(Integer.MAX_VALUE - 8L, Math.min(maxImagePixels, Long.MAX_VALUE / 16) * 8 + (1 << 20));
    }
}
