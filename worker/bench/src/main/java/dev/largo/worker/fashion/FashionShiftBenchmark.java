package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.support.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The fashion-shift robustness benchmark (BENCHMARKS.md) as one command. From the Fashion-MNIST IDX files and
 * the built-in base model it sweeps each method's learning rate on the ID validation split, then trains
 * linear_probe, full, ftp, lora, pissa and largo (and the variants) with every seed through the worker's
 * engine ({@link BenchmarkRun}), evaluates each on the 5,000 test images of classes 5-9 in every style, and
 * writes {@code results.md} and {@code results.json} into the output directory.
 *
 * <pre>
 * java -cp ... dev.largo.worker.fashion.FashionShiftBenchmark [--out DIR] [--data DIR] [--base-model DIR]
 *     [--quick] [--seeds N] [--variant-seeds N] [--epochs N] [--no-variants] [--threads N] [--parallel N]
 *     [--in-process] [--fresh]
 * </pre>
 *
 * Each run trains in its own JVM with {@code --threads} libtorch threads ({@code --parallel} such JVMs at a
 * time; runs are independent and seeded, so the numbers do not depend on it, only the timings). Each run's
 * result is kept under {@code DIR/runs}; a repeated command reuses the results of identical runs (so an
 * interrupted benchmark continues where it stopped) unless {@code --fresh} is given.
 */
public final class FashionShiftBenchmark {

    private FashionShiftBenchmark() {
    }

    /** The command line as picocli reads it. */
    @Command(name = "fashion-shift benchmark", description = "the fashion-shift robustness benchmark")
    static final class Arguments {
        @Mixin
        CommonBenchmarkArgs common = new CommonBenchmarkArgs();
        @Option(names = "--seeds", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "seeds 0..N-1 for the six methods")
        Integer seeds;
        @Option(names = "--variant-seeds", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "how many of the seeds the variants run with")
        Integer variantSeeds;
        @Option(names = "--epochs", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "fine-tuning epochs per run")
        Integer epochs;
        @Option(names = "--variants", negatable = true, description = "whether the variants run")
        Boolean variants;
        @Option(names = "--arms", split = ",", paramLabel = "SLUG",
                description = "run exactly these arms on the test sets with every seed (slugs, e.g. largo,lora-head-warm-up)")
        List<String> arms;
        @Option(names = "--screen", split = ",", paramLabel = "SLUG",
                description = "screen these arms first: one run each, sweep seed, ID validation split only")
        List<String> screen;
        @Option(names = "--learning-rates", split = ",", paramLabel = "METHOD=LR",
                description = "fixed learning rates (no sweep runs) for these methods, e.g. largo=0.003")
        Map<String, Double> learningRates;
        @Option(names = "--test-images", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "the first N test images of each style (default: all 5,000)")
        Integer testImages;
        @Option(names = "--frontier", paramLabel = "N", description = "alphas of the WiSE-FT curve after each run (0: none)")
        int frontier;
        @Option(names = "--frontier-test-images", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "the curve's test images per style (default: all)")
        Integer frontierTestImages;
    }

    /**
     * What the research pass of issue #16 adds to a plain benchmark: arms chosen by slug, a validation-only
     * screening, fixed learning rates and the WiSE-FT curve per run. Empty lists: the plain protocol.
     */
    record Research(List<BenchmarkArm> arms, List<BenchmarkArm> screen, int frontierPoints, Integer frontierTestImages) {

        static Research none() {
            return new Research(List.of(), List.of(), 0, null);
        }

        static List<BenchmarkArm> arms(List<String> slugs) {
            if (slugs == null) {
                return List.of();
            }
            Map<String, BenchmarkArm> known = BenchmarkArm.bySlug();
            List<BenchmarkArm> arms = new ArrayList<>();
            for (String slug : slugs) {
                BenchmarkArm arm = known.get(slug.trim());
                if (arm == null) {
                    throw new IllegalArgumentException("unknown arm '" + slug + "'; known: " + known.keySet());
                }
                arms.add(arm);
            }
            return arms;
        }
    }

    /** Parsed command line. */
    record Options(Path data, Path out, Path baseModel, BenchmarkSettings settings, int threads, int parallel,
                   boolean inProcess, boolean fresh, String command, Research research) {

        Options(Path data, Path out, Path baseModel, BenchmarkSettings settings, int threads, int parallel,
                boolean inProcess, boolean fresh, String command) {
            this(data, out, baseModel, settings, threads, parallel, inProcess, fresh, command, Research.none());
        }

        static Options parse(String[] args) {
            Arguments parsed = CommandLines.parse(new Arguments(), args);
            CommonBenchmarkArgs common = parsed.common;
            Integer seeds = parsed.seeds;
            Integer variantSeeds = parsed.variantSeeds;
            Integer epochs = parsed.epochs;
            Boolean variants = parsed.variants;
            BenchmarkSettings settings = common.quick ? BenchmarkSettings.quick() : BenchmarkSettings.standard();
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
            if (parsed.testImages != null) {
                settings = settings.withTestLimit(parsed.testImages);
            }
            if (parsed.learningRates != null) {
                settings = settings.withFixedLearningRates(parsed.learningRates);
            }
            if (parsed.frontier == 1 || parsed.frontier < 0) {
                throw new IllegalArgumentException("--frontier needs 0 (none) or at least 2 points, got " + parsed.frontier);
            }
            Research research = new Research(Research.arms(parsed.arms), Research.arms(parsed.screen), parsed.frontier,
                    parsed.frontierTestImages);
            return new Options(common.data, common.out, common.baseModel, settings, common.threads, common.parallel,
                    common.oneProcess(), common.fresh, "FashionShiftBenchmark " + String.join(" ", args), research);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        OfflineEngine.configure(options.threads());
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
        RunExecutor<RunSpec, RunResult> executor = options.inProcess() ? RunExecutor.inProcess()
                : RunExecutor.childProcess(runs, options.threads(), "1g");
        RunCache<RunSpec, RunResult> cache = RunCache.of(runs, executor, options.fresh());

        Research research = options.research();
        List<BenchmarkArm> methods = BenchmarkArm.methods();
        List<BenchmarkArm> arms = new ArrayList<>(research.arms().isEmpty() ? methods : research.arms());
        if (settings.variants() && research.arms().isEmpty()) {
            arms.addAll(BenchmarkArm.variants());
        }
        // A method with a single candidate needs no sweep run: its rate is chosen by the grid itself.
        int sweepRuns = methods.stream().mapToInt(arm -> settings.learningRateGrid().get(arm.type().id()).size())
                .filter(size -> size > 1).sum();
        int total = research.arms().isEmpty() ? sweepRuns + methods.size() * settings.seeds().size()
                + (arms.size() - methods.size()) * settings.variantSeeds().size()
                : sweepRuns + research.screen().size() + arms.size() * settings.seeds().size();
        Progress progress = new Progress(total, log);

        List<RunSpec> sweepSpecs = new ArrayList<>();
        Map<String, Double> learningRates = new LinkedHashMap<>();
        for (BenchmarkArm arm : methods) {
            List<Double> grid = settings.learningRateGrid().get(arm.type().id());
            if (grid.size() == 1) {
                learningRates.put(arm.type().id(), grid.get(0));
                continue;
            }
            for (double lr : grid) {
                sweepSpecs.add(spec(arm, lr, settings.sweepSeed(), RunSpec.VALIDATION, settings, data, baseModel, out,
                        Research.none()));
            }
        }
        List<RunResult> sweep = new ArrayList<>(runAll(sweepSpecs, cache, options.parallel(), progress));
        for (int extension = 0; extension < LearningRateSweep.MAX_EXTENSIONS; extension++) {
            List<RunSpec> further = new ArrayList<>();
            for (Map.Entry<String, Double> choice : LearningRateSweep.choose(sweep).entrySet()) {
                List<Double> tried = sweep.stream().filter(r -> r.spec().arm().type().id().equals(choice.getKey()))
                        .map(r -> r.spec().learningRate()).toList();
                BenchmarkArm arm = BenchmarkArm.of(dev.largo.worker.engine.train.MethodType.fromId(choice.getKey()));
                LearningRateSweep.beyondEdge(tried, choice.getValue()).ifPresent(lr -> further.add(
                        spec(arm, lr, settings.sweepSeed(), RunSpec.VALIDATION, settings, data, baseModel, out,
                                Research.none())));
            }
            if (further.isEmpty()) {
                break;
            }
            log.println("sweep extended past the edge of its grid: " + further.stream()
                    .map(spec -> spec.arm().name() + " " + spec.learningRate()).toList());
            progress.extend(further.size());
            sweep.addAll(runAll(further, cache, options.parallel(), progress));
        }
        learningRates.putAll(LearningRateSweep.choose(sweep));
        log.println("learning rates chosen on the validation split: " + learningRates);

        List<RunSpec> screenSpecs = new ArrayList<>();
        for (BenchmarkArm arm : research.screen()) {
            screenSpecs.add(spec(arm, learningRates.get(arm.type().id()), settings.sweepSeed(), RunSpec.VALIDATION,
                    settings, data, baseModel, out, research));
        }
        List<RunResult> screened = runAll(screenSpecs, cache, options.parallel(), progress);

        List<RunSpec> testSpecs = new ArrayList<>();
        if (!research.arms().isEmpty()) {
            // Seed by seed: a stopped run has every arm at its first seeds.
            for (long seed : settings.seeds()) {
                for (BenchmarkArm arm : arms) {
                    testSpecs.add(spec(arm, learningRates.get(arm.type().id()), seed, RunSpec.TEST, settings, data,
                            baseModel, out, research));
                }
            }
        } else {
            // Methods first, then the variants seed by seed: a stopped benchmark has every variant at its first seed.
            for (BenchmarkArm arm : methods) {
                for (long seed : settings.seeds()) {
                    testSpecs.add(spec(arm, learningRates.get(arm.type().id()), seed, RunSpec.TEST, settings, data,
                            baseModel, out, research));
                }
            }
            for (long seed : settings.variants() ? settings.variantSeeds() : List.<Long>of()) {
                for (BenchmarkArm arm : arms.subList(methods.size(), arms.size())) {
                    testSpecs.add(spec(arm, learningRates.get(arm.type().id()), seed, RunSpec.TEST, settings, data,
                            baseModel, out, research));
                }
            }
        }
        List<RunResult> tested = runAll(testSpecs, cache, options.parallel(), progress);
        List<RunResult> results = new ArrayList<>(screened);
        results.addAll(tested);

        BenchmarkReport report = new BenchmarkReport(options.command(), startedAt, (System.nanoTime() - start) / 6e10,
                machine, MachineInfo.currentLoadAverage(), options.inProcess() ? "in one process"
                        : "each in its own JVM, " + options.parallel() + " at a time",
                settings, data.train().count(), data.validation().count(), data.tests().get(Style.CLEAN).count(),
                LearningRateSweep.entries(sweep), learningRates, BenchmarkReport.rows(arms, tested), results);
        Files.writeString(out.resolve("results.json"), Json.PRETTY.writeValueAsString(report), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
        return report;
    }

    private static RunSpec spec(BenchmarkArm arm, double lr, long seed, String evaluation, BenchmarkSettings settings,
                                BenchmarkData data, Path baseModel, Path out, Research research) {
        int warmup = arm.headWarmup() ? settings.headWarmupEpochs() : 0;
        RunSpec draft = new RunSpec(arm, lr, seed, evaluation, settings.epochs(), settings.batchSize(), warmup,
                settings.warmupRatio(), settings.gradClip(), settings.weightDecay(),
                data.directory().toAbsolutePath().toString(), baseModel.toAbsolutePath().toString(), "");
        return new RunSpec(arm, lr, seed, evaluation, settings.epochs(), settings.batchSize(), warmup,
                settings.warmupRatio(), settings.gradClip(), settings.weightDecay(), draft.dataDirectory(),
                draft.baseModelDirectory(), out.resolve("work").resolve(draft.label()).toAbsolutePath().toString(),
                research.frontierPoints(), research.frontierTestImages());
    }

    /**
     * Runs the specs, {@code parallel} at a time, and returns their results in the specs' order. One at a time
     * they run on this thread: in-process runs need a thread whose PyTorch grad mode is off, as DJL leaves it on
     * the thread that loaded the engine (new threads start with it on).
     */
    private static List<RunResult> runAll(List<RunSpec> specs, RunCache<RunSpec, RunResult> cache, int parallel,
                                          Progress progress) throws Exception {
        return runAll(specs, cache, parallel, progress::report);
    }

    /** As above for any kind of run; {@code report} sees each result as it finishes. */
    static <S, R> List<R> runAll(List<S> specs, RunCache<S, R> cache, int parallel,
                                 java.util.function.UnaryOperator<R> report) throws Exception {
        if (parallel == 1) {
            List<R> results = new ArrayList<>();
            for (S spec : specs) {
                results.add(report.apply(cache.run(spec)));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (S spec : specs) {
                futures.add(pool.submit(() -> report.apply(cache.run(spec))));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One progress line per finished run. */
    private static final class Progress {
        private int total;
        private final PrintStream log;
        private int done;

        Progress(int total, PrintStream log) {
            this.total = total;
            this.log = log;
        }

        synchronized void extend(int more) {
            total += more;
        }

        synchronized RunResult report(RunResult result) {
            RunSpec spec = result.spec();
            String ood = result.oodMeanAccuracy() == null ? ""
                    : String.format(Locale.ROOT, ", OOD mean %.1f, worst %.1f", result.oodMeanAccuracy() * 100,
                    result.oodWorstAccuracy() * 100);
            log.printf(Locale.ROOT, "[%d/%d] %s lr %s seed %d on %s: ID %.1f%s; %.0f ms/step, %.0f MiB, %.0f s%n",
                    ++done, total, spec.arm().name(), spec.learningRate(), spec.seed(), spec.evaluation(),
                    result.idAccuracy() * 100, ood, result.medianStepMillis(), result.peakMemoryMib(),
                    result.wallSeconds());
            return result;
        }
    }
}
