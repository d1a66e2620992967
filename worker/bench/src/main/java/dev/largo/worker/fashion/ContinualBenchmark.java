package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.support.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The continual fashion-shift benchmark (worker/engine/docs/gorp.md) as one command: six tasks (clean, rotate, invert, noise, blur,
 * contrast), gorp against sequential lora, full and largo and the joint upper bound, every seed, through the
 * engine's {@link dev.largo.worker.engine.continual.ContinualRunner}. Learning rates come from a sweep on the
 * first task's ID validation split only. Writes {@code continual-results.md} and {@code continual-results.json}.
 *
 * <pre>
 * java -cp ... dev.largo.worker.fashion.ContinualBenchmark [--out DIR] [--data DIR] [--base-model DIR] [--quick]
 *     [--seeds N] [--epochs N] [--test-images N] [--methods gorp,lora,...] [--threads N] [--parallel N]
 *     [--in-process] [--fresh]
 * </pre>
 * Runs are cached under {@code DIR/continual-runs} like the single-task benchmark's (a stopped benchmark goes on
 * where it stopped) and run in their own JVMs unless {@code --in-process} (the default of {@code --quick}).
 */
public final class ContinualBenchmark {

    private ContinualBenchmark() {
    }

    /** The command line as picocli reads it. */
    @Command(name = "fashion-shift continual", description = "the continual fashion-shift sequence")
    static final class Arguments {
        @Mixin
        CommonBenchmarkArgs common = new CommonBenchmarkArgs();
        @Option(names = "--seeds", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "seeds 0..N-1")
        Integer seeds;
        @Option(names = "--epochs", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "epochs per task")
        Integer epochs;
        @Option(names = "--test-images", paramLabel = "N", converter = CommandLines.Positive.class,
                description = "the first N test images of each style")
        Integer testImages;
        @Option(names = "--methods", paramLabel = "M,M", split = ",",
                description = "of gorp, lora, full, largo, joint")
        List<String> methods;
    }

    /** Parsed command line. */
    record Options(Path data, Path out, Path baseModel, ContinualSettings settings, int threads, int parallel,
                   boolean inProcess, boolean fresh, String command) {

        static Options parse(String[] args) {
            Arguments parsed = CommandLines.parse(new Arguments(), args);
            CommonBenchmarkArgs common = parsed.common;
            Integer seeds = parsed.seeds;
            Integer epochs = parsed.epochs;
            Integer testImages = parsed.testImages;
            List<String> methods = parsed.methods;
            ContinualSettings settings = common.quick ? ContinualSettings.quick() : ContinualSettings.standard();
            if (seeds != null) {
                settings = settings.withSeeds(LongStream.range(0, seeds).boxed().toList());
            }
            if (epochs != null) {
                settings = settings.withEpochs(epochs);
            }
            if (testImages != null) {
                settings = settings.withTestLimit(testImages);
            }
            if (methods != null) {
                settings = settings.withMethods(methods);
            }
            return new Options(common.data, common.out, common.baseModel, settings, common.threads, common.parallel,
                    common.oneProcess(), common.fresh, "fashion-shift continual " + String.join(" ", args));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        OfflineEngine.configure(options.threads());
        ContinualReport report = run(options, System.out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Wrote " + options.out().resolve("continual-results.md") + " and "
                + options.out().resolve("continual-results.json"));
    }

    static ContinualReport run(Options options, PrintStream log) throws Exception {
        long start = System.nanoTime();
        String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MachineInfo machine = MachineInfo.current(options.threads());
        ContinualSettings settings = options.settings();
        Path out = options.out();
        Files.createDirectories(out);

        Path idx = FashionMnistFiles.require(options.data(), true, log::println);
        log.println("building the continual task data from " + idx);
        Path data = ContinualData.write(FashionShift.load(idx), settings, out.resolve("continual-data"));
        Path baseModel = options.baseModel() != null ? options.baseModel()
                : BuiltinAssets.baseModel().copyTo(out.resolve("base-model"));
        Path runs = out.resolve("continual-runs");
        RunExecutor<ContinualRunSpec, ContinualRunResult> executor = options.inProcess()
                ? spec -> ContinualRun.execute(spec, ContinualListener.NONE)
                : RunExecutor.childProcess(runs, options.threads(), "1g", ContinualRunMain.class,
                        ContinualRunSpec::label, ContinualRunResult.class);
        RunCache<ContinualRunSpec, ContinualRunResult> cache = new RunCache<>(runs, executor, options.fresh(),
                ContinualRunSpec::label, ContinualRunResult.class, ContinualRunResult::spec);

        List<String> swept = settings.methods().stream().filter(m -> !m.equals(ContinualMethod.JOINT.id())).toList();
        Map<String, Double> learningRates = new LinkedHashMap<>();
        List<ContinualRunSpec> sweepSpecs = new ArrayList<>();
        for (String method : swept) {
            List<Double> grid = settings.learningRateGrid().get(method);
            if (grid.size() == 1) {
                learningRates.put(method, grid.get(0));
            } else {
                grid.forEach(lr -> sweepSpecs.add(spec(method, lr, settings.sweepSeed(), RunSpec.VALIDATION, settings,
                        data, baseModel, out)));
            }
        }
        int[] done = {0};
        int total = sweepSpecs.size() + settings.methods().size() * settings.seeds().size();
        List<ContinualRunResult> sweep = FashionShiftBenchmark.runAll(sweepSpecs, cache, options.parallel(),
                result -> report(result, ++done[0], total, log));
        List<ContinualReport.SweepEntry> entries = new ArrayList<>();
        for (String method : swept) {
            List<ContinualRunResult> mine = sweep.stream().filter(r -> r.spec().method().equals(method)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            // Highest validation accuracy; a tie goes to the smaller rate (the gentler one for what came before).
            ContinualRunResult best = mine.stream().max(Comparator.comparingDouble(ContinualRunResult::averageAccuracy)
                    .thenComparing(r -> -r.spec().learningRate())).orElseThrow();
            learningRates.put(method, best.spec().learningRate());
            mine.forEach(r -> entries.add(new ContinualReport.SweepEntry(method, r.spec().learningRate(),
                    r.averageAccuracy(), r == best)));
        }
        if (settings.methods().contains(ContinualMethod.JOINT.id())) {
            learningRates.put(ContinualMethod.JOINT.id(), learningRates.get(ContinualMethod.LORA.id()));
        }
        log.println("learning rates chosen on the first task's validation split: " + learningRates);

        List<ContinualRunSpec> testSpecs = new ArrayList<>();
        for (long seed : settings.seeds()) {
            for (String method : settings.methods()) {
                testSpecs.add(spec(method, learningRates.get(method), seed, RunSpec.TEST, settings, data, baseModel, out));
            }
        }
        List<ContinualRunResult> results = FashionShiftBenchmark.runAll(testSpecs, cache, options.parallel(),
                result -> report(result, ++done[0], total, log));

        BenchmarkData benchmarkData = new BenchmarkData(data);
        ContinualReport report = new ContinualReport(options.command(), startedAt, (System.nanoTime() - start) / 6e10,
                machine, MachineInfo.currentLoadAverage(), options.inProcess() ? "in one process"
                        : "each in its own JVM, " + options.parallel() + " at a time",
                settings, ContinualData.train(data, Style.CLEAN).count(), benchmarkData.validation().count(),
                benchmarkData.tests().get(Style.CLEAN).count(), entries, learningRates,
                ContinualReport.rows(settings.methods(), results), results);
        Files.writeString(out.resolve("continual-results.json"), Json.PRETTY.writeValueAsString(report),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("continual-results.md"), report.markdown(), StandardCharsets.UTF_8);
        return report;
    }

    private static ContinualRunSpec spec(String method, double lr, long seed, String evaluation,
                                         ContinualSettings settings, Path data, Path baseModel, Path out) {
        ContinualRunSpec draft = new ContinualRunSpec(method, lr, seed, evaluation, settings.epochs(),
                settings.batchSize(), settings.warmupRatio(), settings.gradClip(), settings.weightDecay(),
                data.toAbsolutePath().toString(), baseModel.toAbsolutePath().toString(), "");
        return new ContinualRunSpec(method, lr, seed, evaluation, settings.epochs(), settings.batchSize(),
                settings.warmupRatio(), settings.gradClip(), settings.weightDecay(), draft.dataDirectory(),
                draft.baseModelDirectory(), out.resolve("work").resolve(draft.label()).toAbsolutePath().toString());
    }

    private static synchronized ContinualRunResult report(ContinualRunResult result, int done, int total,
                                                          PrintStream log) {
        ContinualRunSpec spec = result.spec();
        log.printf(Locale.ROOT, "[%d/%d] %s lr %s seed %d on %s: AA %.1f%s; %.0f ms/step, %.0f MiB, %.0f s%n", done,
                total, spec.method(), spec.learningRate(), spec.seed(), spec.evaluation(), result.averageAccuracy() * 100,
                result.backwardTransfer() == null ? "" : String.format(Locale.ROOT, ", BWT %.1f",
                        result.backwardTransfer() * 100), result.medianStepMillis(), result.peakMemoryMib(),
                result.wallSeconds());
        return result;
    }
}
