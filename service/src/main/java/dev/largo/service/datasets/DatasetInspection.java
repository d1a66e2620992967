package dev.largo.service.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.springframework.stereotype.Component;

import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.TaskType;
import dev.largo.service.errors.ApiProblem;
import dev.largo.worker.engine.data.DatasetInspector;
import dev.largo.worker.engine.data.DatasetSummary;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.limits.LimitsProperties;

/**
 * Validates an uploaded dataset file with the engine's {@link DatasetInspector} (the same readers that load
 * it for training: every image decoded, every row parsed, every label checked) and says what it holds. A file
 * that fails gets 422 naming the zip entry, JSONL row or tensor; one over a limit also names the
 * {@code largo.limits.*} setting and its value.
 */
@Component
public class DatasetInspection {

    private final DatasetInspector inspector;

    public DatasetInspection(LimitsProperties limits) {
        this.inspector = new DatasetInspector(limits.datasetLimits());
    }

    /**
     * @param file           the spooled upload
     * @param clientFilename the name the client knows the file by, used where the fault is the whole file
     * @param format         the client's format, or null to sniff it from the content
     * @throws ApiProblem 422 naming the offending place in the file
     */
    public InspectedDataset inspect(Path file, String clientFilename, DatasetFormat format, TaskType taskType) {
        DatasetSummary summary;
        try {
            summary = format == null
                    ? inspector.inspect(file)
                    : inspector.inspect(file, dev.largo.worker.engine.data.DatasetFormat.valueOf(format.name()));
        } catch (InvalidDatasetException e) {
            String location = file.getFileName().toString().equals(e.location()) ? clientFilename : e.location();
            throw ApiProblem.invalidFile("invalid-dataset", "Invalid dataset", location, e.detail());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload " + file, e);
        }
        TaskType found = TaskType.valueOf(summary.taskType().name());
        if (taskType != found) {
            throw ApiProblem.invalidParam("task_type", "is " + taskType + ", but the file is a "
                    + DatasetFormat.valueOf(summary.format().name()) + " dataset for " + found);
        }
        return new InspectedDataset(DatasetFormat.valueOf(summary.format().name()), found, summary.exampleCount(),
                summary.classNames(), summary.labelCounts(), summary.imageHeight(), summary.imageWidth(),
                summary.channels());
    }
}
