package dev.largo.service.datasets;

import java.util.List;
import java.util.Map;

import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.TaskType;

/** What validating an uploaded dataset file found: its format and the figures the API reports. */
public record InspectedDataset(DatasetFormat format, TaskType taskType, long exampleCount, List<String> classNames,
        Map<String, Long> labelCounts, Integer imageHeight, Integer imageWidth, Integer channels) {
}
