package dev.largo.worker.engine.data;

import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Writes datasets in the formats the readers accept (used to ship sample datasets). */
public final class DatasetWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DatasetWriter() {
    }

    /** {@code images} U8 [N,H,W,C], {@code labels} I64 [N], metadata {@code class_names} as a JSON list. */
    public static void writeSafetensors(ImageDataset dataset, Path file) throws IOException {
        long[] labels = new long[dataset.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = dataset.labels()[i];
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put(SafetensorsImageReader.IMAGES, TensorData.ofUnsignedBytes(dataset.pixels(),
                dataset.count(), dataset.height(), dataset.width(), dataset.channels()));
        tensors.put(SafetensorsImageReader.LABELS, TensorData.ofLongs(labels, dataset.count()));
        SafeTensors.write(file, tensors,
                Map.of(SafetensorsImageReader.CLASS_NAMES, JSON.writeValueAsString(dataset.classNames())));
    }
}
