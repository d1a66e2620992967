package dev.largo.worker.engine.bench;

import dev.largo.worker.engine.cli.LargoCli;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Starts one measurement of either side in its own process and reads its JSON: the PyTorch reference script
 * (with OpenBLAS' machine-specific overrides removed for it alone, and its BLAS threads pinned to the intra-op
 * count) or {@code largo bench} for one method in a fresh JVM on this JVM's class path.
 */
final class BenchProcesses {

    /** One measurement's settings. */
    record Run(String shape, String method, int batch, int steps, int warmup, int threads) {
    }

    private final String python;
    private final Path script;
    private final Path work;

    BenchProcesses(String python, Path script, Path work) {
        this.python = python;
        this.script = script;
        this.work = work;
    }

    JsonNode reference(Run run) throws IOException, InterruptedException {
        Path config = work.resolve(run.shape() + ".json");
        if (!Files.exists(config)) {
            Files.writeString(config, EngineBenchmark.shapeConfig(run.shape()));
        }
        ProcessBuilder builder = new ProcessBuilder(python, script.toString(), "--config", config.toString(),
                "--method", run.method(), "--batch", Integer.toString(run.batch()), "--steps",
                Integer.toString(run.steps()), "--warmup", Integer.toString(run.warmup()), "--threads",
                Integer.toString(run.threads()), "--interop", "1");
        Map<String, String> env = builder.environment();
        // This machine sets both; PERFORMANCE.md measures PyTorch without them, for its process only.
        env.remove("OPENBLAS_CORETYPE");
        env.remove("OPENBLAS_L2_SIZE");
        // A user's plain python3 runs with glibc's default allocator settings; the engine's launchers set these.
        env.remove("MALLOC_MMAP_THRESHOLD_");
        env.remove("MALLOC_TRIM_THRESHOLD_");
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(run.threads()));
        env.put("OMP_NUM_THREADS", Integer.toString(run.threads()));
        Path output = work.resolve("reference.json");
        builder.redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        await(builder, "reference");
        String text = Files.readString(output).strip();
        JsonNode node = Json.MAPPER.readTree(text.substring(text.lastIndexOf('\n') + 1));
        if (!node.get("openblas").asBoolean()) {
            System.err.println("warning: the PyTorch reference runs without OpenBLAS (reference BLAS, ~3 GFLOP/s)");
        }
        return node;
    }

    JsonNode engine(Run run) throws IOException, InterruptedException {
        return engine(run, System.getProperty("java.class.path"), false);
    }

    /**
     * {@code largo bench} for one method on {@code classpath}; {@code asBefore} runs it the way the engine ran
     * before its launchers set glibc's allocator thresholds (for a before/after comparison in one run).
     */
    JsonNode engine(Run run, String classpath, boolean asBefore) throws IOException, InterruptedException {
        Path output = work.resolve("engine.json");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Dai.djl.offline=true");
        command.add("-cp");
        command.add(classpath);
        command.add(LargoCli.class.getName());
        command.addAll(List.of("bench", "--shape", run.shape(), "--methods", run.method(), "--batch",
                Integer.toString(run.batch()), "--steps", Integer.toString(run.steps()), "--warmup",
                Integer.toString(run.warmup()), "--rounds", "1", "--threads", Integer.toString(run.threads()),
                "--interop", "1", "--json", output.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (asBefore) {
            builder.environment().remove("MALLOC_MMAP_THRESHOLD_");
            builder.environment().remove("MALLOC_TRIM_THRESHOLD_");
        }
        Path log = work.resolve("engine.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            await(builder, "engine");
        } catch (IOException e) {
            System.err.print(Files.readString(log));
            throw e;
        }
        return Json.MAPPER.readTree(Files.readString(output));
    }

    private static void await(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IOException(what + " process failed with exit code " + code + ": " + builder.command());
        }
    }

    /** /proc/loadavg's 1, 5 and 15 minute figures. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
