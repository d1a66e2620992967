package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A benchmark run's result as a JSON file, written whole or not at all: a run killed while writing leaves no
 * half file for the run cache to mistake for a result.
 */
final class ResultFiles {

    private ResultFiles() {
    }

    static void write(Path file, Object result) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, Json.PRETTY.writeValueAsString(result), StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
