package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.SplitKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A sample dataset shipped on the classpath for the quick start: a safetensors image dataset
 * ({@code images} U8 [N, 28, 28, 1], {@code labels} I64 [N], metadata {@code class_names}) of the
 * fashion-shift task (Fashion-MNIST classes 5-9, relabelled 0-4).
 *
 * @param name the dataset's name, also its file name without {@code .safetensors} (e.g. {@code fashion-train})
 * @param split what the dataset is for
 * @param domain its style; clean is the task's own domain
 * @param count images it holds
 * @param description one line for people
 */
public record BuiltinDataset(String name, SampleSplit split, Style domain, int count, String description) {

    /** ID for training, validation and clean test data; OOD for the other styles' test data. */
    public SplitKind kind() {
        return domain == FashionShift.ID_STYLE ? SplitKind.ID : SplitKind.OOD;
    }

    public String fileName() {
        return name + ".safetensors";
    }

    /** Classpath resource path (no leading slash). */
    public String resource() {
        return BuiltinAssets.SAMPLES_DIRECTORY + fileName();
    }

    /** The task's labels, index = label: Sandal, Shirt, Sneaker, Bag, Ankle boot. */
    public List<String> classNames() {
        return BuiltinAssets.TASK_CLASS_NAMES;
    }

    /** The file's bytes; the caller closes the stream. */
    public InputStream open() throws IOException {
        return BuiltinAssets.open(resource());
    }

    /** SHA-256 (hex) of the file, from the shipped {@code SHA256SUMS}. */
    public String sha256() {
        return BuiltinAssets.checksum(BuiltinAssets.SAMPLES_DIRECTORY, fileName());
    }

    /** Writes the file to {@code file} (for readers that need a path); returns {@code file}. */
    public Path copyTo(Path file) throws IOException {
        return BuiltinAssets.copy(resource(), file);
    }
}
