package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.DatasetFormat;
import dev.largo.worker.engine.data.TaskType;
import dev.largo.worker.engine.eval.SplitKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A sample dataset shipped on the classpath, image ({@link BuiltinDataset}) or text ({@link BuiltinTextDataset}):
 * one file under a directory of {@code builtin/} with a {@code SHA256SUMS} beside it. The service registers every
 * one at start through the same validation as an upload; benchmarks read them from here.
 */
public sealed interface ShippedDataset permits BuiltinDataset, BuiltinTextDataset {

    /** The dataset's name, also its file name without the extension. */
    String name();

    SampleSplit split();

    /** The domain it samples (a style such as {@code clean}, a review source such as {@code amazon}). */
    String domainId();

    /** Whether it is in the task's own domain (training, validation, ID test) or out of it. */
    SplitKind kind();

    /** Examples it holds. */
    int count();

    /** One line for people. */
    String description();

    /** Its labels, index = label. */
    List<String> classNames();

    TaskType taskType();

    DatasetFormat format();

    /** Classpath directory holding the file and its {@code SHA256SUMS} (no leading slash, trailing slash). */
    String directory();

    String fileName();

    /** Classpath resource path (no leading slash). */
    default String resource() {
        return directory() + fileName();
    }

    /** The file's bytes; the caller closes the stream. */
    default InputStream open() throws IOException {
        return BuiltinAssets.open(resource());
    }

    /** SHA-256 (hex) of the file, from the shipped {@code SHA256SUMS}. */
    default String sha256() {
        return BuiltinAssets.checksum(directory(), fileName());
    }

    /** Writes the file to {@code file} (for readers that need a path); returns {@code file}. */
    default Path copyTo(Path file) throws IOException {
        return BuiltinAssets.copy(resource(), file);
    }
}
