package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.data.DatasetFormat;
import dev.largo.worker.engine.data.IdxReader;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.ImageFolderZipReader;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads an image dataset file in any of the engine's image formats. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    /**
     * @param format {@code imagefolder_zip}, {@code safetensors}, {@code idx}, or null to sniff
     * @param split for ImageFolder zips with {@code <split>/<label>/} folders; null otherwise
     * @param labels for IDX: the labels file (null: the conventional sibling of the images file)
     * @param classNames for IDX: label names (null: "0".."K-1")
     */
    static ImageDataset read(Path file, String format, String split, Path labels, List<String> classNames)
            throws IOException, InvalidDatasetException {
        DatasetFormat kind = format == null ? DatasetFormat.sniff(file)
                : DatasetFormat.valueOf(format.toUpperCase(Locale.ROOT));
        return switch (kind) {
            case IMAGEFOLDER_ZIP -> split == null ? new ImageFolderZipReader().read(file)
                    : new ImageFolderZipReader().read(file, split);
            case SAFETENSORS -> new SafetensorsImageReader().read(file);
            case IDX -> {
                Path labelFile = labels != null ? labels : IdxReader.labelsFileFor(file).orElseThrow(() ->
                        new InvalidDatasetException(file.getFileName().toString(),
                                "no labels file given and none beside the images (*-labels-idx1-ubyte*)"));
                yield new IdxReader().read(file, labelFile, classNames);
            }
            case JSONL -> throw new InvalidDatasetException(file.getFileName().toString(),
                    "a JSONL text dataset cannot train an image classifier");
        };
    }
}
