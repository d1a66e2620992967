package dev.largo.worker.engine.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelInitializer;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.StepProgress;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.engine.train.TrainingPlan;
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
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Median milliseconds per training step for each method on a ViT of a fixed shape, measured in one process
 * (so the ratios largo/lora and ftp/largo compare like with like), with trainable parameter counts and peak
 * resident memory. A step is everything the trainer does per batch: batch assembly, forward, backward,
 * clipping, the optimizer (and projection) update, gradient zeroing. Methods run round-robin for several
 * rounds so machine load drifts hit all of them alike; each round starts with warm-up steps that are not
 * counted.
 */
public final class EngineBenchmark {

    /** The built-in base model's shape (BENCHMARKS.md reference run): width 96, depth 4, 4 heads, patch 7. */
    static final String BUILTIN = """
            {"model_type":"vit","architectures":["ViTForImageClassification"],"hidden_size":96,
             "num_hidden_layers":4,"num_attention_heads":4,"intermediate_size":384,"hidden_act":"gelu",
             "layer_norm_eps":1e-12,"image_size":28,"patch_size":7,"num_channels":1,"qkv_bias":true,
             "id2label":{"0":"0","1":"1","2":"2","3":"3","4":"4"}}""";
    /** the performance probe's shape: width 128, 6 blocks, 4 heads, patch 4 (50 tokens). */
    static final String PERF = """
            {"model_type":"vit","architectures":["ViTForImageClassification"],"hidden_size":128,
             "num_hidden_layers":6,"num_attention_heads":4,"intermediate_size":512,"hidden_act":"gelu",
             "layer_norm_eps":1e-12,"image_size":28,"patch_size":4,"num_channels":1,"qkv_bias":true,
             "id2label":{"0":"0","1":"1","2":"2","3":"3","4":"4"}}""";
    /**
     * ViT-B/16 at 224x224x3 (google/vit-base-patch16-224's shape, 197 tokens), random weights: a user's real
     * checkpoint trains at the same cost. Run it at batch 8 and with few steps; it is heavy on 2 cores.
     */
    static final String VIT_B16 = """
            {"model_type":"vit","architectures":["ViTForImageClassification"],"hidden_size":768,
             "num_hidden_layers":12,"num_attention_heads":12,"intermediate_size":3072,"hidden_act":"gelu",
             "layer_norm_eps":1e-12,"image_size":224,"patch_size":16,"num_channels":3,"qkv_bias":true,
             "id2label":{"0":"0","1":"1","2":"2","3":"3","4":"4","5":"5","6":"6","7":"7","8":"8","9":"9"}}""";
    /** The shapes {@code --shape} takes. MiniLM-L6 (sequence 128, batch 32) joins when the text models land. */
    public static final List<String> SHAPES = List.of("builtin", "perf", "vit-b16");

    /** One method's figures. */
    public record MethodFigures(String method, double medianMillis, double meanMillis, double meanCpuMillis,
                                long trainableParameters, int measuredSteps, long rssStartKb, long rssEndKb) {
    }

    private EngineBenchmark() {
    }

    /** {@code largo bench}: its options, then the run. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Median milliseconds per training step of each method on one model shape.")
    public static final class BenchCommand implements Callable<Integer> {
        @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "measured steps per round")
        int steps;
        @Option(names = "--warmup", paramLabel = "N", defaultValue = "5", description = "uncounted steps per round")
        int warmup;
        @Option(names = "--batch", paramLabel = "N", defaultValue = "64")
        int batch;
        @Option(names = "--rounds", paramLabel = "N", defaultValue = "2", description = "round-robin rounds over the methods")
        int rounds;
        @Option(names = "--threads", paramLabel = "N", description = "libtorch intra-op threads (default: the cores)")
        Integer threads;
        @Option(names = "--interop", paramLabel = "N", defaultValue = "1", description = "libtorch inter-op threads")
        int interop;
        @Option(names = "--shape", paramLabel = "SHAPE", defaultValue = "builtin", description = "builtin, perf or vit-b16")
        String shape;
        @Option(names = "--methods", paramLabel = "IDS", split = ",", description = "methods to time (default: all)")
        List<String> methods;
        @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON")
        Path json;
        @Option(names = "--profile", paramLabel = "TRACE.json", description = "libtorch profiler trace")
        Path profile;

        private final PrintStream out;

        public BenchCommand(PrintStream out) {
            this.out = out;
        }

        @Override
        public Integer call() throws IOException {
            return run(this, out);
        }
    }

    private static int run(BenchCommand options, PrintStream out) throws IOException {
        int steps = options.steps;
        int warmup = options.warmup;
        int batch = options.batch;
        int rounds = options.rounds;
        int threads = options.threads != null ? options.threads : Runtime.getRuntime().availableProcessors();
        int interop = options.interop;
        String shape = options.shape;
        List<MethodType> methods = options.methods == null ? List.of(MethodType.values())
                : options.methods.stream().map(MethodType::fromId).toList();
        Path json = options.json;
        Path profile = options.profile;
        // Must precede the engine's first use: PyTorch reads these once.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(interop));
        Engine engine = Engine.getEngine("PyTorch");
        ModelConfig config = ModelConfig.parse(shapeConfig(shape));
        out.printf(Locale.ROOT, "engine %s %s; intra-op threads %d, inter-op threads %d; %d cores; shape %s; batch %d;"
                        + " %d rounds x (%d warm-up + %d measured) steps per method%n", engine.getEngineName(),
                engine.getVersion(), ai.djl.pytorch.jni.JniUtils.getNumThreads(),
                ai.djl.pytorch.jni.JniUtils.getNumInteropThreads(), Runtime.getRuntime().availableProcessors(), shape,
                batch, rounds, warmup, steps);

        ImageDataset data = randomImages(batch * (warmup + steps), config, 1);
        Map<MethodType, List<Double>> millis = new LinkedHashMap<>();
        Map<MethodType, List<Double>> cpuMillis = new LinkedHashMap<>();
        Map<MethodType, long[]> rss = new LinkedHashMap<>();
        Map<MethodType, Long> parameters = new LinkedHashMap<>();
        if (profile != null) {
            // libtorch's own profiler: every op with its input shapes, as a Chrome trace
            // (worker/bin/profile_summary.py totals it per op and shape).
            ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
        }
        for (int round = 0; round < rounds; round++) {
            for (MethodType method : methods) {
                long before = ProcessMemory.residentKb();
                List<Double> times = new ArrayList<>();
                List<Double> cpuTimes = new ArrayList<>();
                long trainable = measure(config, method, data, batch, times, cpuTimes);
                millis.computeIfAbsent(method, m -> new ArrayList<>()).addAll(times.subList(warmup, times.size()));
                cpuMillis.computeIfAbsent(method, m -> new ArrayList<>())
                        .addAll(cpuTimes.subList(warmup, cpuTimes.size()));
                rss.computeIfAbsent(method, m -> new long[] {before, 0})[1] = ProcessMemory.residentKb();
                parameters.put(method, trainable);
            }
        }
        if (profile != null) {
            ai.djl.pytorch.jni.JniUtils.stopProfile(profile.toAbsolutePath().toString());
        }
        List<MethodFigures> figures = new ArrayList<>();
        out.printf(Locale.ROOT, "%-13s %12s %10s %12s %14s %14s%n", "method", "median ms", "mean ms", "mean CPU ms",
                "trainable", "RSS MiB");
        for (MethodType method : methods) {
            double[] values = millis.get(method).stream().mapToDouble(Double::doubleValue).toArray();
            double median = median(values);
            double mean = Arrays.stream(values).average().orElse(Double.NaN);
            // A mean: the process CPU clock ticks in 10 ms steps here, too coarse for a per-step median.
            double cpu = cpuMillis.get(method).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            MethodFigures f = new MethodFigures(method.id(), median, mean, cpu, parameters.get(method), values.length,
                    rss.get(method)[0], rss.get(method)[1]);
            figures.add(f);
            out.printf(Locale.ROOT, "%-13s %12.1f %10.1f %12.1f %14d %6.0f -> %4.0f%n", f.method(), median, mean,
                    cpu, f.trainableParameters(), f.rssStartKb() / 1024.0, f.rssEndKb() / 1024.0);
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratio(figures, "largo", "lora", ratios);
        ratio(figures, "ftp", "largo", ratios);
        ratio(figures, "lora", "full", ratios);
        ratios.forEach((name, value) -> out.printf(Locale.ROOT, "ratio %s = %.3f%n", name, value));
        long peak = ProcessMemory.peakResidentKb();
        out.printf(Locale.ROOT, "peak resident memory (VmHWM) %.0f MiB%n", peak / 1024.0);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("shape", shape);
            report.put("batch", batch);
            report.put("intra_op_threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
            report.put("inter_op_threads", ai.djl.pytorch.jni.JniUtils.getNumInteropThreads());
            report.put("cores", Runtime.getRuntime().availableProcessors());
            report.put("methods", figures);
            report.put("ratios", ratios);
            report.put("peak_rss_kb", peak);
            Files.writeString(json, Json.SNAKE.writeValueAsString(report));
        }
        return 0;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The Hugging Face config.json of a benchmark shape. */
    public static String shapeConfig(String shape) {
        return switch (shape) {
            case "builtin" -> BUILTIN;
            case "perf" -> PERF;
            case "vit-b16" -> VIT_B16;
            default -> throw new IllegalArgumentException("--shape must be one of " + SHAPES
                    + " (MiniLM-L6 waits for the text models)");
        };
    }

    /**
     * Trains one epoch of {@code data} with {@code method} on a fresh model, adding each step's wall and
     * process CPU milliseconds to {@code times} and {@code cpuTimes}; returns trainable scalars. CPU time is
     * what a step costs the machine whatever the other processes do; wall time is what a user waits.
     */
    static long measure(ModelConfig config, MethodType type, ImageDataset data, int batch, List<Double> times,
                        List<Double> cpuTimes) {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = ModelInitializer.randomModel(config, 1, DataType.FLOAT32, manager)) {
            MethodConfig method = MethodConfig.defaults(type);
            PreparedMethod prepared = PreparedMethod.prepare(model, method, 1);
            Hyperparameters hyper = new Hyperparameters(1, batch, type.defaultLearningRate(), 0, 0.1, 1.0, 0, 1, 1);
            ImageBatcher batcher = new ImageBatcher(config.imageSize(), config.imageSize(), config.numChannels(),
                    ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
            long[] lastCpu = {ProcessMemory.cpuNanos()};
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onStep(StepProgress progress) {
                    long cpu = ProcessMemory.cpuNanos();
                    times.add(progress.stepMillis());
                    cpuTimes.add((cpu - lastCpu[0]) / 1e6);
                    lastCpu[0] = cpu;
                }
            };
            try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, data, batcher, 1),
                    listener, () -> false, (t, e) -> { })) {
                trainer.run();
            }
            return JobRunner.countParameters(model, prepared.trainable());
        }
    }

    static ImageDataset randomImages(int count, ModelConfig config, long seed) {
        Random random = new Random(seed);
        int size = config.imageSize();
        byte[] pixels = new byte[count * size * size * config.numChannels()];
        random.nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(config.numLabels());
        }
        return new ImageDataset(count, size, size, config.numChannels(), pixels, labels, config.labels());
    }

    private static void ratio(List<MethodFigures> figures, String a, String b, Map<String, Double> out) {
        MethodFigures fa = figures.stream().filter(f -> f.method().equals(a)).findFirst().orElse(null);
        MethodFigures fb = figures.stream().filter(f -> f.method().equals(b)).findFirst().orElse(null);
        if (fa != null && fb != null) {
            out.put(a + "/" + b, fa.medianMillis() / fb.medianMillis());
        }
    }
}
