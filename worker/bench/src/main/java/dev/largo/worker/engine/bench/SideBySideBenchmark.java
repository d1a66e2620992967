package dev.largo.worker.engine.bench;

import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code largo compare}: the engine against a PyTorch eager reference of the same model and step
 * ({@code worker/bin/torch_reference.py}), per thread count, shape and method. Each measurement is a fresh
 * process (so each has its own peak resident memory), reference and engine alternate, and the order flips
 * every round so load drifts hit both alike; the engine/PyTorch ratio is the median of the per-round ratios.
 * {@code --before CLASSPATH} adds a third process per cell: an older build of the engine (for before/after
 * figures from the same run).
 */
public final class SideBySideBenchmark {

    /** Methods the reference implements. */
    static final List<String> METHODS = List.of("linear_probe", "full", "lora", "pissa", "largo");

    /** One cell of the table: a thread count, shape and method, with both sides' per-round figures. */
    private static final class Cell {
        final int threads;
        final String shape;
        final String method;
        final List<Double> torchMillis = new ArrayList<>();
        final List<Double> engineMillis = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> torchCpu = new ArrayList<>();
        final List<Double> engineCpu = new ArrayList<>();
        final List<Double> beforeMillis = new ArrayList<>();
        final List<Double> beforeRatios = new ArrayList<>();
        long torchPeakKb;
        long enginePeakKb;

        Cell(int threads, String shape, String method) {
            this.threads = threads;
            this.shape = shape;
            this.method = method;
        }

        void add(JsonNode torch, JsonNode engine) {
            double t = torch.get("median_millis").asDouble();
            JsonNode figures = engine.get("methods").get(0);
            double e = figures.get("median_millis").asDouble();
            torchCpu.add(torch.get("mean_cpu_millis").asDouble());
            engineCpu.add(figures.get("mean_cpu_millis").asDouble());
            torchMillis.add(t);
            engineMillis.add(e);
            ratios.add(e / t);
            torchPeakKb = Math.max(torchPeakKb, torch.get("peak_rss_kb").asLong());
            enginePeakKb = Math.max(enginePeakKb, engine.get("peak_rss_kb").asLong());
        }
    }

    private SideBySideBenchmark() {
    }

    /** {@code largo compare}: its options, then the run. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "The engine against a PyTorch eager reference of the same model and step.")
    public static final class CompareCommand implements Callable<Integer> {
        @Option(names = "--shapes", paramLabel = "SHAPES", split = ",", defaultValue = "builtin,perf")
        List<String> shapes;
        @Option(names = "--methods", paramLabel = "IDS", split = ",", defaultValue = "full,lora,largo")
        List<String> methods;
        @Option(names = "--threads", paramLabel = "N,...", split = ",", defaultValue = "1",
                description = "libtorch thread counts, one cell each")
        List<Integer> threads;
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "3")
        int rounds;
        @Option(names = "--steps", paramLabel = "N", defaultValue = "10")
        int steps;
        @Option(names = "--warmup", paramLabel = "N", defaultValue = "3")
        int warmup;
        @Option(names = "--batch", paramLabel = "N", description = "default: each shape's own")
        Integer batch;
        @Option(names = "--python", paramLabel = "EXE", description = "default: /usr/bin/python3 when present")
        String python;
        @Option(names = "--reference", paramLabel = "SCRIPT", description = "default: worker/bin/torch_reference.py")
        Path reference;
        @Option(names = "--json", paramLabel = "FILE")
        Path json;
        @Option(names = "--before", paramLabel = "CLASSPATH", description = "an older build of the engine to time too")
        String before;

        private final PrintStream out;

        public CompareCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            return run(this, out);
        }
    }

    private static int run(CompareCommand options, PrintStream out) throws IOException, InterruptedException {
        List<String> shapes = options.shapes;
        List<String> methods = options.methods;
        List<Integer> threadCounts = options.threads;
        int rounds = options.rounds;
        int steps = options.steps;
        int warmup = options.warmup;
        Integer batch = options.batch;
        Path json = options.json;
        String before = options.before;
        String root = System.getProperty("largo.root", ".");
        String python = options.python != null ? options.python
                : Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path script = options.reference != null ? options.reference
                : Path.of(root, "worker", "bin", "torch_reference.py");
        for (String method : methods) {
            if (!METHODS.contains(method)) {
                throw new IllegalArgumentException("the reference has no method " + method + " (" + METHODS + ")");
            }
        }
        shapes.forEach(EngineBenchmark::shapeConfig);
        Path work = Files.createTempDirectory("largo-compare");
        BenchProcesses processes = new BenchProcesses(python, script, work);
        out.printf(Locale.ROOT, "compare: %d rounds x (%d warm-up + %d measured) steps; %d cores; load %s%n", rounds,
                warmup, steps, Runtime.getRuntime().availableProcessors(), BenchProcesses.loadAverage());

        Map<String, Cell> cells = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int threads : threadCounts) {
                for (String shape : shapes) {
                    int shapeBatch = batch != null ? batch : shape.equals("vit-b16") ? 8 : 64;
                    for (String method : methods) {
                        BenchProcesses.Run run = new BenchProcesses.Run(shape, method, shapeBatch, steps, warmup,
                                threads);
                        JsonNode torch;
                        JsonNode engine;
                        if (round % 2 == 0) {
                            torch = processes.reference(run);
                            engine = processes.engine(run);
                        } else {
                            engine = processes.engine(run);
                            torch = processes.reference(run);
                        }
                        Cell cell = cells.computeIfAbsent(threads + "/" + shape + "/" + method,
                                k -> new Cell(threads, shape, method));
                        cell.add(torch, engine);
                        if (before != null) {
                            double old = processes.engine(run, before, true).get("methods").get(0)
                                    .get("median_millis").asDouble();
                            cell.beforeMillis.add(old);
                            cell.beforeRatios.add(old / cell.torchMillis.get(cell.torchMillis.size() - 1));
                        }
                        int last = cell.ratios.size() - 1;
                        out.printf(Locale.ROOT, "round %d threads %d %-8s %-12s torch %8.1f ms (CPU %.1f)  engine"
                                + " %8.1f ms (CPU %.1f)  ratio %.2f  load %s%n", round + 1, threads, shape, method,
                                cell.torchMillis.get(last), cell.torchCpu.get(last), cell.engineMillis.get(last),
                                cell.engineCpu.get(last), cell.ratios.get(last), BenchProcesses.loadAverage());
                    }
                }
            }
        }
        List<Map<String, Object>> rows = report(cells, out);
        out.printf(Locale.ROOT, "load average at the end: %s%n", BenchProcesses.loadAverage());
        if (json != null) {
            Files.writeString(json, Json.SNAKE.writeValueAsString(Map.of("rows", rows, "rounds", rounds,
                    "steps", steps, "warmup", warmup, "load_average_end", BenchProcesses.loadAverage())));
        }
        return 0;
    }

    /** Prints the table (medians over rounds) and the engine's own method ratios; returns the rows. */
    private static List<Map<String, Object>> report(Map<String, Cell> cells, PrintStream out) {
        out.printf(Locale.ROOT, "%n| threads | shape | method | PyTorch ms/step | engine ms/step | engine/PyTorch"
                + " | PyTorch mean CPU ms | engine mean CPU ms | CPU ratio | PyTorch peak MiB | engine peak MiB | memory ratio |"
                + "%n|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Cell c : cells.values()) {
            double torch = median(c.torchMillis);
            double engine = median(c.engineMillis);
            double ratio = median(c.ratios);
            double torchCpu = median(c.torchCpu);
            double engineCpu = median(c.engineCpu);
            out.printf(Locale.ROOT, "| %d | %s | %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f |%n",
                    c.threads, c.shape, c.method, torch, engine, ratio, torchCpu, engineCpu, engineCpu / torchCpu,
                    c.torchPeakKb / 1024.0, c.enginePeakKb / 1024.0, (double) c.enginePeakKb / c.torchPeakKb);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threads", c.threads);
            row.put("shape", c.shape);
            row.put("method", c.method);
            row.put("torch_median_millis", torch);
            row.put("engine_median_millis", engine);
            row.put("engine_over_torch", ratio);
            row.put("torch_mean_cpu_millis", torchCpu);
            row.put("engine_mean_cpu_millis", engineCpu);
            row.put("torch_peak_rss_kb", c.torchPeakKb);
            row.put("engine_peak_rss_kb", c.enginePeakKb);
            rows.add(row);
        }
        if (cells.values().stream().anyMatch(c -> !c.beforeMillis.isEmpty())) {
            out.printf(Locale.ROOT, "%n| threads | shape | method | engine before ms/step | before/PyTorch"
                    + " | engine after ms/step | after/PyTorch |%n|---|---|---|---|---|---|---|%n");
            for (Cell c : cells.values()) {
                out.printf(Locale.ROOT, "| %d | %s | %s | %.1f | %.2f | %.1f | %.2f |%n", c.threads, c.shape,
                        c.method, median(c.beforeMillis), median(c.beforeRatios), median(c.engineMillis),
                        median(c.ratios));
            }
        }
        for (Cell c : cells.values()) {
            for (String[] pair : new String[][] {{"lora", "full"}, {"largo", "lora"}}) {
                Cell other = cells.get(c.threads + "/" + c.shape + "/" + pair[1]);
                if (c.method.equals(pair[0]) && other != null) {
                    out.printf(Locale.ROOT, "threads %d %s: engine %s/%s %.2f (CPU %.2f), PyTorch %.2f (CPU %.2f)%n",
                            c.threads, c.shape, pair[0], pair[1], median(c.engineMillis) / median(other.engineMillis),
                            median(c.engineCpu) / median(other.engineCpu),
                            median(c.torchMillis) / median(other.torchMillis),
                            median(c.torchCpu) / median(other.torchCpu));
                }
            }
        }
        return rows;
    }

    private static double median(List<Double> values) {
        return EngineBenchmark.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
