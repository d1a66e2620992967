package dev.largo.worker.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates an uploaded dataset completely (every image decoded, every row parsed, every label checked)
 * and summarises it. Bad input of any kind surfaces as {@link InvalidDatasetException} naming where the
 * fault is; an {@link IOException} means the file could not be read at all.
 */
public final class DatasetInspector {

    private final DatasetLimits limits;

    public DatasetInspector() {
        this(DatasetLimits.DEFAULT);
    }

    public DatasetInspector(DatasetLimits limits) {
        this.limits = limits;
    }

    /** Sniffs the format, then inspects. */
    public DatasetSummary inspect(Path file) throws IOException, InvalidDatasetException {
        return inspect(file, DatasetFormat.sniff(file));
    }

    public DatasetSummary inspect(Path file, DatasetFormat format) throws IOException, InvalidDatasetException {
        return switch (format) {
            case IMAGEFOLDER_ZIP -> inspectZip(file);
            case SAFETENSORS -> inspectSafetensors(file);
            case JSONL -> inspectJsonl(file);
            case IDX -> inspectIdx(file);
        };
    }

    private DatasetSummary inspectZip(Path file) throws IOException, InvalidDatasetException {
        int[] shape = new int[3];
        List<Integer> labels = new java.util.ArrayList<>();
        ImageFolderZipReader.Layout layout = new ImageFolderZipReader(limits).scan(file, null,
                (entry, split, label, image) -> {
                    shape[0] = image.height();
                    shape[1] = image.width();
                    shape[2] = image.channels();
                    labels.add(label);
                });
        int[] values = labels.stream().mapToInt(Integer::intValue).toArray();
        return imageSummary(DatasetFormat.IMAGEFOLDER_ZIP, file, values, layout.classNames(), shape[0], shape[1],
                shape[2], layout.splits());
    }

    private DatasetSummary inspectSafetensors(Path file) throws IOException, InvalidDatasetException {
        SafetensorsImageReader.Layout layout = new SafetensorsImageReader(limits).readLayout(file);
        return imageSummary(DatasetFormat.SAFETENSORS, file, layout.labels(), layout.classNames(), layout.height(),
                layout.width(), layout.channels(), List.of());
    }

    private DatasetSummary inspectIdx(Path file) throws IOException, InvalidDatasetException {
        String name = file.getFileName().toString();
        Path labels = IdxReader.labelsFileFor(file).orElseThrow(() -> new InvalidDatasetException(name,
                "IDX images need their labels file beside them (*-labels-idx1-ubyte[.gz] for *-images-idx3-ubyte[.gz])"));
        ImageDataset data = new IdxReader(limits).read(file, labels, null);
        return imageSummary(DatasetFormat.IDX, file, data.labels(), data.classNames(), data.height(), data.width(),
                data.channels(), List.of());
    }

    private DatasetSummary inspectJsonl(Path file) throws IOException, InvalidDatasetException {
        JsonlTextReader.Labels labels = new JsonlTextReader(limits).scanLabels(file);
        Map<String, Long> counts = countAndCheck(file, labels.indices(), labels.classNames());
        return new DatasetSummary(DatasetFormat.JSONL, TaskType.TEXT_CLASSIFICATION, labels.indices().length,
                labels.classNames(), counts, null, null, null, List.of());
    }

    private static DatasetSummary imageSummary(DatasetFormat format, Path file, int[] labels, List<String> classNames,
                                               int height, int width, int channels, List<String> splits)
            throws InvalidDatasetException {
        Map<String, Long> counts = countAndCheck(file, labels, classNames);
        return new DatasetSummary(format, TaskType.IMAGE_CLASSIFICATION, labels.length, classNames, counts, height,
                width, channels, splits);
    }

    /** Labels must index {@code classNames}, and at least two classes must have examples. */
    static Map<String, Long> countAndCheck(Path file, int[] labels, List<String> classNames)
            throws InvalidDatasetException {
        String name = file.getFileName().toString();
        long[] counts = new long[classNames.size()];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= counts.length) {
                throw new InvalidDatasetException(name, "label " + labels[i] + " of example " + i
                        + " is out of range for " + counts.length + " classes");
            }
            counts[labels[i]]++;
        }
        Map<String, Long> byName = new LinkedHashMap<>();
        int populated = 0;
        for (int k = 0; k < counts.length; k++) {
            byName.put(classNames.get(k), counts[k]);
            populated += counts[k] > 0 ? 1 : 0;
        }
        if (populated < 2) {
            throw new InvalidDatasetException(name, "examples cover " + populated
                    + " class(es); classification needs at least 2");
        }
        return byName;
    }
}
