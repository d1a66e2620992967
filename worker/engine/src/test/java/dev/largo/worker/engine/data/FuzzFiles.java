package dev.largo.worker.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the readers' fuzz tests share: the limits they read within (small enough that no input the limits allow
 * takes long, large enough for every seed) and scratch files that each fuzz input overwrites, since the readers
 * read files, as the service and the worker call them.
 */
final class FuzzFiles {

    /** At most 1,000 images of 128 x 128 RGB: 49 MB decoded, well inside the fuzz runs' 1 GB heap. */
    static final DatasetLimits LIMITS = DatasetLimits.DEFAULT.withMaxExamples(1_000).withMaxZipEntries(2_000)
            .withMaxUncompressedBytes(16L << 20).withMaxImagePixels(128 * 128).withMaxRowBytes(64 * 1024)
            .withMaxSafetensorsHeaderBytes(1 << 20);

    private static final Path DIRECTORY;

    static {
        try {
            DIRECTORY = Files.createTempDirectory("largo-fuzz");
            DIRECTORY.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FuzzFiles() {
    }

    /** {@code bytes} as the file {@code name} in the scratch directory (replacing the previous input's). */
    static Path write(String name, byte[] bytes) {
        try {
            Path file = DIRECTORY.resolve(name);
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
