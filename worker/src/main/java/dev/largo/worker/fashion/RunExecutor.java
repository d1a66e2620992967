package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs benchmark runs, each in a process of its own (honest per-run peak memory) or in this one. */
public interface RunExecutor {

    RunResult run(RunSpec spec) throws Exception;

    /**
     * Runs in this process, on the calling thread (its PyTorch grad mode must be off, as on the thread that
     * loaded the engine); peak memory is the whole process's so far (scope {@code process}).
     */
    static RunExecutor inProcess() {
        return spec -> BenchmarkRun.execute(spec, "process", TrainingListener.NONE);
    }

    /**
     * Runs each run in a fresh JVM ({@link BenchmarkRunMain}) with this JVM's classpath, the given libtorch
     * intra-op threads (inter-op 1) and heap limit; the child's output goes to {@code <run>.log} beside its result.
     */
    static RunExecutor childProcess(Path runsDirectory, int threads, String maxHeap) {
        return spec -> {
            Files.createDirectories(runsDirectory);
            Path specFile = runsDirectory.resolve(spec.label() + ".spec.json");
            Path resultFile = runsDirectory.resolve(spec.label() + ".result.json");
            Path log = runsDirectory.resolve(spec.label() + ".log");
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
            command.add(BenchmarkRunMain.class.getName());
            command.add(specFile.toString());
            command.add(resultFile.toString());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            int exit = process.waitFor();
            if (exit != 0 || !Files.exists(resultFile)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
                throw new IllegalStateException("run " + spec.label() + " failed (exit " + exit + "); log " + log
                        + ":\n" + tail);
            }
            return Json.MAPPER.readValue(Files.readString(resultFile, StandardCharsets.UTF_8), RunResult.class);
        };
    }
}
