package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps every run's result as {@code <label>.json} and answers a run whose identical spec already has one from
 * the file, so a benchmark that was stopped continues where it was.
 */
final class RunCache {

    private final Path directory;
    private final RunExecutor executor;
    private final boolean fresh;

    RunCache(Path directory, RunExecutor executor, boolean fresh) {
        this.directory = directory;
        this.executor = executor;
        this.fresh = fresh;
    }

    RunResult run(RunSpec spec) throws Exception {
        Files.createDirectories(directory);
        Path file = directory.resolve(spec.label() + ".json");
        if (!fresh && Files.exists(file)) {
            RunResult cached = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), RunResult.class);
            if (cached.spec().equals(spec)) {
                return cached;
            }
        }
        RunResult result = executor.run(spec);
        Path partial = directory.resolve(spec.label() + ".json.tmp");
        Files.writeString(partial, Json.PRETTY.writeValueAsString(result), StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        return result;
    }
}
