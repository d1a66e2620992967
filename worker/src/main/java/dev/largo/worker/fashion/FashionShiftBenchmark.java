package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.support.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The fashion-shift robustness benchmark (BENCHMARK.md) as one command. From the Fashion-MNIST IDX files and
 * the built-in base model it sweeps each method's learning rate on the ID validation split, then trains
 * linear_probe, full, ftp, lora, pissa and largo (and the variants) with every seed through the worker's
 * engine ({@link BenchmarkRun}), evaluates each on the 5,000 test images of classes 5-9 in every style, and
 * writes {@code results.md} and {@code results.json} into the output directory.
 *
 * <pre>
 * java -cp ... dev.largo.worker.fashion.FashionShiftBenchmark [--out DIR] [--data DIR] [--base-model DIR]
 *     [--quick] [--seeds N] [--variant-seeds N] [--epochs N] [--no-variants] [--threads N] [--in-process]
 *     [--fresh]
 * </pre>
 *
 * Each run's result is kept under {@code DIR/runs}; a repeated command reuses the results of identical runs
 * (so an interrupted benchmark continues where it stopped) unless {@code --fresh} is given.
 */
public final class FashionShiftBenchmark {

    private FashionShiftBenchmark() {
    }

    /** Parsed command line. */
    record Options(Path data, Path out, Path baseModel, BenchmarkSettings settings, int threads, boolean inProcess,
                   boolean fresh, String command) {

        static Options parse(String[] args) {
            Path data = FashionMnist.DEFAULT_DIRECTORY;
            Path out = Path.of("fashion-shift-results");
            Path baseModel = null;
            boolean quick = false;
            Integer seeds = null;
            Integer variantSeeds = null;
            Integer epochs = null;
            Boolean variants = null;
            int threads = Runtime.getRuntime().availableProcessors();
            Boolean inProcess = null;
            boolean fresh = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--out" -> out = Path.of(value(args, ++i));
                    case "--base-model" -> baseModel = Path.of(value(args, ++i));
                    case "--quick" -> quick = true;
                    case "--seeds" -> seeds = positive(args, ++i);
                    case "--variant-seeds" -> variantSeeds = positive(args, ++i);
                    case "--epochs" -> epochs = positive(args, ++i);
                    case "--variants" -> variants = true;
                    case "--no-variants" -> variants = false;
                    case "--threads" -> threads = positive(args, ++i);
                    case "--in-process" -> inProcess = true;
                    case "--child-processes" -> inProcess = false;
                    case "--fresh" -> fresh = true;
                    default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: "
                            + "FashionShiftBenchmark [--out DIR] [--data DIR] [--base-model DIR] [--quick] [--seeds N]"
                            + " [--variant-seeds N] [--epochs N] [--variants|--no-variants] [--threads N] [--in-process|--child-processes]"
                            + " [--fresh]");
                }
            }
            BenchmarkSettings settings = quick ? BenchmarkSettings.quick() : BenchmarkSettings.standard();
            if (seeds != null) {
                settings = settings.withSeeds(LongStream.range(0, seeds).boxed().toList());
            }
            if (variantSeeds != null) {
                settings = settings.withVariantSeedCount(variantSeeds);
            }
            if (epochs != null) {
                settings = settings.withEpochs(epochs);
            }
            if (variants != null) {
                settings = settings.withVariants(variants);
            }
            return new Options(data, out, baseModel, settings, threads, inProcess != null ? inProcess : quick, fresh,
                    "FashionShiftBenchmark " + String.join(" ", args));
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }

        private static int positive(String[] args, int i) {
            String text = value(args, i);
            try {
                int n = Integer.parseInt(text);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(args[i - 1] + " needs a positive integer, found " + text);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        // libtorch reads its thread counts once, when the engine first starts: set them before any tensor exists.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        BenchmarkReport report = run(options, System.out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Wrote " + options.out().resolve("results.md") + " and " + options.out().resolve("results.json"));
    }

    /** Runs the benchmark and writes its report; progress lines go to {@code log}. */
    static BenchmarkReport run(Options options, PrintStream log) throws Exception {
        long start = System.nanoTime();
        String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MachineInfo machine = MachineInfo.current(options.threads());
        BenchmarkSettings settings = options.settings();
        Path out = options.out();
        Files.createDirectories(out);

        Path idx = FashionMnistFiles.require(options.data(), true, log::println);
        log.println("building the task data from " + idx);
        BenchmarkData data = BenchmarkData.write(FashionShift.load(idx), settings, out.resolve("data"));
        Path baseModel = options.baseModel() != null ? options.baseModel()
                : BuiltinAssets.baseModel().copyTo(out.resolve("base-model"));

        Path runs = out.resolve("runs");
        RunExecutor executor = options.inProcess() ? RunExecutor.inProcess()
                : RunExecutor.childProcess(runs, options.threads(), "1g");
        RunCache cache = new RunCache(runs, executor, options.fresh());

        List<BenchmarkArm> methods = BenchmarkArm.methods();
        List<BenchmarkArm> arms = new ArrayList<>(methods);
        if (settings.variants()) {
            arms.addAll(BenchmarkArm.variants());
        }
        int sweepRuns = methods.stream().mapToInt(arm -> settings.learningRateGrid().get(arm.type().id()).size()).sum();
        int total = sweepRuns + methods.size() * settings.seeds().size()
                + (arms.size() - methods.size()) * settings.variantSeeds().size();
        int[] done = {0};

        List<RunResult> sweep = new ArrayList<>();
        for (BenchmarkArm arm : methods) {
            for (double lr : settings.learningRateGrid().get(arm.type().id())) {
                RunSpec spec = spec(arm, lr, settings.sweepSeed(), RunSpec.VALIDATION, settings, data, baseModel, out);
                sweep.add(report(cache.run(spec), ++done[0], total, log));
            }
        }
        Map<String, Double> learningRates = LearningRateSweep.choose(sweep);
        log.println("learning rates chosen on the validation split: " + learningRates);

        List<RunResult> results = new ArrayList<>();
        for (BenchmarkArm arm : arms) {
            double lr = learningRates.get(arm.type().id());
            for (long seed : arm.isMethodDefault() ? settings.seeds() : settings.variantSeeds()) {
                RunSpec spec = spec(arm, lr, seed, RunSpec.TEST, settings, data, baseModel, out);
                results.add(report(cache.run(spec), ++done[0], total, log));
            }
        }

        BenchmarkReport report = new BenchmarkReport(options.command(), startedAt, (System.nanoTime() - start) / 6e10,
                machine, MachineInfo.currentLoadAverage(), options.inProcess() ? "in one process" : "each in its own JVM",
                settings, data.train().count(), data.validation().count(), data.tests().get(Style.CLEAN).count(),
                LearningRateSweep.entries(sweep), learningRates, BenchmarkReport.rows(arms, results), results);
        Files.writeString(out.resolve("results.json"), Json.PRETTY.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
        return report;
    }

    private static RunSpec spec(BenchmarkArm arm, double lr, long seed, String evaluation, BenchmarkSettings settings,
                                BenchmarkData data, Path baseModel, Path out) {
        int warmup = arm.headWarmup() ? settings.headWarmupEpochs() : 0;
        RunSpec draft = new RunSpec(arm, lr, seed, evaluation, settings.epochs(), settings.batchSize(), warmup,
                settings.warmupRatio(), settings.gradClip(), settings.weightDecay(),
                data.directory().toAbsolutePath().toString(), baseModel.toAbsolutePath().toString(), "");
        return new RunSpec(arm, lr, seed, evaluation, settings.epochs(), settings.batchSize(), warmup,
                settings.warmupRatio(), settings.gradClip(), settings.weightDecay(), draft.dataDirectory(),
                draft.baseModelDirectory(), out.resolve("work").resolve(draft.label()).toAbsolutePath().toString());
    }

    private static RunResult report(RunResult result, int done, int total, PrintStream log) {
        RunSpec spec = result.spec();
        String ood = result.oodMeanAccuracy() == null ? ""
                : String.format(Locale.ROOT, ", OOD mean %.1f, worst %.1f", result.oodMeanAccuracy() * 100,
                result.oodWorstAccuracy() * 100);
        log.printf(Locale.ROOT, "[%d/%d] %s lr %s seed %d on %s: ID %.1f%s; %.0f ms/step, %.0f MiB, %.0f s%n", done,
                total, spec.arm().name(), spec.learningRate(), spec.seed(), spec.evaluation(), result.idAccuracy() * 100,
                ood, result.medianStepMillis(), result.peakMemoryMib(), result.wallSeconds());
        return result;
    }
}
