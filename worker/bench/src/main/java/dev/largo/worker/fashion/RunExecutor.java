package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.TrainingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs benchmark runs, each in a process of its own (honest per-run peak memory) or in this one.
 *
 * @param <S> the run spec
 * @param <R> its result
 */
public interface RunExecutor<S, R> {

    R run(S spec) throws Exception;

    /**
     * Runs in this process, on the calling thread (its PyTorch grad mode must be off, as on the thread that
     * loaded the engine); peak memory is the whole process's so far (scope {@code process}).
     */
    static RunExecutor<RunSpec, RunResult> inProcess() {
        return spec -> BenchmarkRun.execute(spec, "process", TrainingListener.NONE);
    }

    /** The single-task runs in child JVMs ({@link BenchmarkRunMain}); see {@link #childProcess(Path, int, String, Class, Function, Class)}. */
    static RunExecutor<RunSpec, RunResult> childProcess(Path runsDirectory, int threads, String maxHeap) {
        return childProcess(runsDirectory, threads, maxHeap, BenchmarkRunMain.class, RunSpec::label, RunResult.class);
    }

    /**
     * Runs each run in a fresh JVM ({@code main SPEC.json RESULT.json}) with this JVM's classpath, the given
     * libtorch intra-op threads (inter-op 1) and heap limit; the child's output goes to {@code <run>.log} beside
     * its result.
     */
    static <S, R> RunExecutor<S, R> childProcess(Path runsDirectory, int threads, String maxHeap, Class<?> main,
                                                 Function<S, String> label, Class<R> resultType) {
        return spec -> {
            Files.createDirectories(runsDirectory);
            String name = label.apply(spec);
            Path specFile = runsDirectory.resolve(name + ".spec.json");
            Path resultFile = runsDirectory.resolve(name + ".result.json");
            Path log = runsDirectory.resolve(name + ".log");
            Files.writeString(specFile, Json.PRETTY.writeValueAsString(spec), StandardCharsets.UTF_8);
            Files.deleteIfExists(resultFile);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + maxHeap);
            command.add("-Dai.djl.offline=true");
            command.add("-Dai.djl.pytorch.num_threads=" + threads);
            command.add("-Dai.djl.pytorch.num_interop_threads=1");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.add(specFile.toString());
            command.add(resultFile.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int exit = process.waitFor();
            if (exit != 0 || !Files.exists(resultFile)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
                throw new IllegalStateException("run " + name + " failed (exit " + exit + "); log " + log
                        + ":\n" + tail);
            }
            return Json.MAPPER.readValue(Files.readString(resultFile, StandardCharsets.UTF_8), resultType);
        };
    }
}
