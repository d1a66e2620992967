package dev.largo.worker.runtime;

import dev.largo.db.datasets.DatasetEntity;
import dev.largo.worker.engine.data.DatasetLimits;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.ImageFolderZipReader;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a staged dataset file with the engine reader its recorded format names. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    /**
     * @param param the job field naming the dataset, for errors
     * @throws InvalidJobException if the dataset is not an image dataset the engine trains on, or its file is bad
     */
    static ImageDataset readImages(DatasetEntity dataset, Path file, String param, DatasetLimits limits)
            throws IOException {
        try {
            return switch (dataset.getFormat()) {
                // The whole archive: the split tag is a label of the upload, and the service counted every
                // image of it, so the worker sees exactly the examples the user saw listed.
                case IMAGEFOLDER_ZIP -> new ImageFolderZipReader(limits).read(file);
                case SAFETENSORS -> new SafetensorsImageReader(limits).read(file);
                case JSONL -> throw new InvalidJobException(InvalidJobException.UNSUPPORTED_TASK, param, "dataset "
                        + dataset.getId() + " is a text classification dataset (jsonl); the worker trains image"
                        + " classifiers only");
                case IDX -> throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "dataset "
                        + dataset.getId() + " is an IDX file, which needs its labels file beside it; upload the"
                        + " images as an image-folder zip or a safetensors file instead");
            };
        } catch (InvalidDatasetException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "dataset " + dataset.getId()
                    + " (" + dataset.getName() + ") cannot be read: " + e.getMessage(), e);
        }
    }
}
