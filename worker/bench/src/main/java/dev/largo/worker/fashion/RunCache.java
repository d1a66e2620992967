package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Keeps every run's result as {@code <label>.json} and answers a run whose identical spec already has one from
 * the file, so a benchmark that was stopped continues where it was.
 *
 * @param <S> the run spec (a record: compared with equals)
 * @param <R> its result, which names its spec
 */
public final class RunCache<S, R> {

    private final Path directory;
    private final RunExecutor<S, R> executor;
    private final boolean fresh;
    private final Function<S, String> label;
    private final Class<R> resultType;
    private final Function<R, S> specOf;

    public RunCache(Path directory, RunExecutor<S, R> executor, boolean fresh, Function<S, String> label, Class<R> resultType,
             Function<R, S> specOf) {
        this.directory = directory;
        this.executor = executor;
        this.fresh = fresh;
        this.label = label;
        this.resultType = resultType;
        this.specOf = specOf;
    }

    /** The single-task benchmark's cache. */
    static RunCache<RunSpec, RunResult> of(Path directory, RunExecutor<RunSpec, RunResult> executor, boolean fresh) {
        return new RunCache<>(directory, executor, fresh, RunSpec::label, RunResult.class, RunResult::spec);
    }

    public R run(S spec) throws Exception {
        Files.createDirectories(directory);
        Path file = directory.resolve(label.apply(spec) + ".json");
        if (!fresh && Files.exists(file)) {
            R cached = Json.MAPPER.readValue(Files.readString(file, StandardCharsets.UTF_8), resultType);
            if (specOf.apply(cached).equals(spec)) {
                return cached;
            }
        }
        R result = executor.run(spec);
        ResultFiles.write(file, result);
        return result;
    }
}
