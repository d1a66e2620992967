package dev.largo.worker.limits;

import dev.largo.worker.engine.data.DatasetLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The input limits ({@code largo.limits.*}) as settings. The service validates uploads with them and the worker
 * reads the stored datasets with them, so both must agree (the shared ConfigMap gives them the same values);
 * each refusal names the setting and its value. Unset values are {@link DatasetLimits#DEFAULT}'s.
 *
 * @param maxExamples most images or rows of one dataset
 * @param maxZipEntries most entries of an image-folder zip (zip bombs of tiny entries)
 * @param maxUncompressedBytes most bytes a dataset inflates to (zip bombs, gzip IDX) or a JSONL file has
 * @param maxImagePixels most pixels (height x width) of one image, checked from its header before decoding
 * @param maxClasses most distinct labels of a dataset
 * @param maxRowBytes most bytes of one JSONL row
 * @param maxSafetensorsHeaderBytes most bytes of a safetensors JSON header (datasets and model weights)
 */
@ConfigurationProperties("largo.limits")
public record LimitsProperties(Long maxExamples, Long maxZipEntries, DataSize maxUncompressedBytes,
                               Long maxImagePixels, Integer maxClasses, DataSize maxRowBytes,
                               DataSize maxSafetensorsHeaderBytes) {

    public LimitsProperties {
        DatasetLimits d = DatasetLimits.DEFAULT;
        maxExamples = maxExamples != null ? maxExamples : d.maxExamples();
        maxZipEntries = maxZipEntries != null ? maxZipEntries : d.maxZipEntries();
        maxUncompressedBytes = maxUncompressedBytes != null ? maxUncompressedBytes
                : DataSize.ofBytes(d.maxUncompressedBytes());
        maxImagePixels = maxImagePixels != null ? maxImagePixels : d.maxImagePixels();
        maxClasses = maxClasses != null ? maxClasses : d.maxClasses();
        maxRowBytes = maxRowBytes != null ? maxRowBytes : DataSize.ofBytes(d.maxRowBytes());
        maxSafetensorsHeaderBytes = maxSafetensorsHeaderBytes != null ? maxSafetensorsHeaderBytes
                : DataSize.ofBytes(d.maxSafetensorsHeaderBytes());
        datasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes, maxImagePixels, maxClasses, maxRowBytes,
                maxSafetensorsHeaderBytes);
    }

    /** The engine's form of these settings. */
    public DatasetLimits datasetLimits() {
        return datasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes, maxImagePixels, maxClasses,
                maxRowBytes, maxSafetensorsHeaderBytes);
    }

    private static DatasetLimits datasetLimits(long maxExamples, long maxZipEntries, DataSize maxUncompressedBytes,
            long maxImagePixels, int maxClasses, DataSize maxRowBytes, DataSize maxSafetensorsHeaderBytes) {
        try {
            return new DatasetLimits(maxExamples, maxZipEntries, maxUncompressedBytes.toBytes(), maxImagePixels,
                    maxClasses, Math.toIntExact(maxRowBytes.toBytes()), maxSafetensorsHeaderBytes.toBytes());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("largo.limits.max-row-bytes must be below 2GB", e);
        }
    }
}
