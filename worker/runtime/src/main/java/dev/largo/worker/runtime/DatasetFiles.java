package dev.largo.worker.runtime;

import dev.largo.db.datasets.DatasetEntity;
import dev.largo.worker.engine.data.DatasetLimits;
import dev.largo.worker.engine.data.ImageFolderZipReader;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.JsonlTextReader;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a staged dataset file with the engine reader its recorded format names: images or texts. */
final class DatasetFiles {

    private DatasetFiles() {
    }

    /**
     * @param param the job field naming the dataset, for errors
     * @throws InvalidJobException if the file is not one the engine trains on, or is bad
     */
    static LabelledData read(DatasetEntity dataset, Path file, String param, DatasetLimits limits) throws IOException {
        try {
            return switch (dataset.getFormat()) {
                // The whole archive: the split tag is a label of the upload, and the service counted every
                // image of it, so the worker sees exactly the examples the user saw listed.
                case IMAGEFOLDER_ZIP -> new ImageFolderZipReader(limits).read(file);
                case SAFETENSORS -> new SafetensorsImageReader(limits).read(file);
                case JSONL -> new JsonlTextReader(limits).read(file);
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
