package dev.largo.worker.engine.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an uploaded dataset holds, as checked by {@link DatasetInspector}.
 *
 * @param labelCounts examples per class, in class-index order (every class name is a key)
 * @param imageHeight null for text datasets
 * @param imageWidth null for text datasets
 * @param channels 1 (grayscale) or 3 (RGB); null for text datasets
 * @param splits the split directories of an image-folder zip ({@code train}, {@code test}, ...);
 *     empty when the archive has none. Counts cover all splits together.
 */
public record DatasetSummary(DatasetFormat format, TaskType taskType, long exampleCount, List<String> classNames,
                             Map<String, Long> labelCounts, Integer imageHeight, Integer imageWidth,
                             Integer channels, List<String> splits) {

    public DatasetSummary {
        classNames = List.copyOf(classNames);
        labelCounts = Collections.unmodifiableMap(new LinkedHashMap<>(labelCounts));
        splits = List.copyOf(splits);
    }
}
