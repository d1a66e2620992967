package dev.largo.service.datasets;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import dev.largo.api.model.Dataset;
import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.ImageShape;
import dev.largo.api.model.TaskType;
import dev.largo.db.datasets.DatasetEntity;

/** The API's view of a stored dataset. */
final class DatasetViews {

    private DatasetViews() {
    }

    static Dataset toApi(DatasetEntity e) {
        ImageShape image = e.getImageHeight() == null ? null
                : new ImageShape(e.getImageHeight(), e.getImageWidth(), e.getChannels());
        return new Dataset()
                .id(e.getId())
                ._object(Dataset.ObjectEnum.DATASET)
                .name(e.getName())
                .taskType(TaskType.fromValue(e.getTaskType().wireValue()))
                .format(DatasetFormat.fromValue(e.getFormat().wireValue()))
                .split(e.getSplit())
                .domain(e.getDomain())
                .sizeBytes(e.getSizeBytes())
                .sha256(e.getSha256())
                .exampleCount((long) e.getExampleCount())
                .classNames(new ArrayList<>(e.getClassNames()))
                .labelCounts(new LinkedHashMap<>(e.getLabelCounts()))
                .image(image)
                .createdAt(e.getCreatedAt().atOffset(ZoneOffset.UTC));
    }
}
