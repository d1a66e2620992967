package dev.largo.worker.sentiment;

import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.model.bert.AllMiniLmL6V2;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.fashion.BenchmarkArm;
import dev.largo.worker.fashion.CommandLines;
import dev.largo.worker.fashion.MachineInfo;
import dev.largo.worker.fashion.OfflineEngine;
import dev.largo.worker.fashion.RunCache;
import dev.largo.worker.engine.support.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sentiment-shift benchmark (BENCHMARKS.md) as one command, on the built-in all-MiniLM-L6-v2: each method's
 * learning rate is chosen on amazon-val (seed 0), then every arm trains on amazon-train rows with each seed through
 * the worker's {@link dev.largo.worker.engine.train.JobRunner} and is tested on amazon-test (ID), yelp-test and
 * sst2-test (OOD); then GORP and its baselines learn amazon -> yelp -> sst2 in sequence (one head) through the
 * {@link dev.largo.worker.engine.continual.ContinualRunner}. Writes {@code results.md} and {@code results.json}.
 *
 * <p>Every run's result is kept under {@code OUT/runs} and reused by an identical run (an interrupted benchmark
 * continues where it stopped) unless {@code --fresh}. One arm alone: {@code --arms "largo, mu 1e-3" --no-continual};
 * a new arm is a {@link BenchmarkArm} added to {@link SentimentSettings}.
 */
public final class SentimentShiftBenchmark {

    private SentimentShiftBenchmark() {
    }

    @Command(name = "sentiment-shift", description = "the sentiment-shift robustness benchmark on all-MiniLM-L6-v2")
    static final class Arguments {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "the sentiment JSONL files")
        Path data = Path.of("../shared/data/sentiment");
        @Option(names = "--out", paramLabel = "DIR", description = "where results and cached runs go")
        Path out = Path.of("sentiment-shift-results");
        @Option(names = "--model-cache", paramLabel = "DIR", description = "where the converted MiniLM is cached")
        Path modelCache;
        @Option(names = "--model-dir", paramLabel = "DIR", description = "another BERT-family model folder (config.json,"
                + " model.safetensors, tokenizer.json) in place of the built-in MiniLM")
        Path modelDir;
        @Option(names = "--quick", description = "CI-sized settings")
        boolean quick;
        @Option(names = "--seeds", paramLabel = "N", converter = CommandLines.Positive.class, description = "seeds 0..N-1")
        Integer seeds;
        @Option(names = "--train-rows", paramLabel = "N", converter = CommandLines.Positive.class, description = "amazon-train rows")
        Integer trainRows;
        @Option(names = "--eval-rows", paramLabel = "N", converter = CommandLines.Positive.class, description = "rows of amazon-val and of each test set")
        Integer evalRows;
        @Option(names = "--epochs", paramLabel = "N", converter = CommandLines.Positive.class, description = "epochs per run")
        Integer epochs;
        @Option(names = "--max-seq-length", paramLabel = "N", converter = CommandLines.Positive.class, description = "tokens per row")
        Integer maxSeqLength;
        @Option(names = "--arms", split = ",", paramLabel = "NAME", description = "only these arms (method ids or "
                + "variant names, e.g. largo,\"largo, mu 1e-3\")")
        List<String> arms;
        @Option(names = "--continual", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "whether the continual sequence runs")
        boolean continual;
        @Option(names = "--threads", paramLabel = "N", description = "libtorch threads")
        int threads = Runtime.getRuntime().availableProcessors();
        @Option(names = "--fresh", description = "retrain runs whose results are cached")
        boolean fresh;
    }

    /** The command line; a wrong argument fails naming it, with the usage text. */
    static Arguments parse(String[] args) {
        return CommandLines.parse(new Arguments(), args);
    }

    public static void main(String[] args) throws Exception {
        Arguments parsed = parse(args);
        OfflineEngine.configure(parsed.threads);
        SentimentReport report = run(parsed, "SentimentShiftBenchmark " + String.join(" ", args), System.out);
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("Wrote " + parsed.out.resolve("results.md") + " and " + parsed.out.resolve("results.json"));
    }

    static SentimentReport run(Arguments options, String command, PrintStream log) throws Exception {
        long start = System.nanoTime();
        String startedAt = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        MachineInfo machine = MachineInfo.current(options.threads);
        SentimentSettings settings = (options.quick ? SentimentSettings.quick() : SentimentSettings.standard())
                .with(options.trainRows, options.evalRows, options.epochs, options.maxSeqLength, options.seeds);
        if (options.arms != null) {
            List<BenchmarkArm> all = new ArrayList<>(BenchmarkArm.methods());
            all.addAll(BenchmarkArm.variants());
            List<BenchmarkArm> chosen = new ArrayList<>();
            for (String name : options.arms) {
                chosen.add(all.stream().filter(arm -> arm.name().equals(name.trim())).findFirst().orElseThrow(() ->
                        new IllegalArgumentException("no arm named \"" + name + "\"; arms: "
                                + all.stream().map(BenchmarkArm::name).toList())));
            }
            settings = settings.withArms(chosen, settings.continualMethods());
        }
        if (!options.continual) {
            settings = settings.withArms(settings.arms(), List.of());
        }
        Path out = options.out.toAbsolutePath();
        Files.createDirectories(out);
        Path modelCache = options.modelCache != null ? options.modelCache : out.resolve("models");
        Path model = options.modelDir != null ? options.modelDir.toAbsolutePath() : AllMiniLmL6V2.materialize(modelCache);
        log.println("model " + model + "; data " + options.data.toAbsolutePath());
        SentimentData data = SentimentData.load(options.data, settings);
        SentimentSettings s = settings;

        RunCache<SentimentRunSpec, SentimentRunResult> runs = new RunCache<>(out.resolve("runs"),
                spec -> SentimentRun.execute(spec, data, TrainingListener.NONE), options.fresh,
                SentimentRunSpec::label, SentimentRunResult.class, SentimentRunResult::spec);
        // 1. learning rates, on amazon-val only: every candidate's seed-0 run
        Map<String, Double> learningRates = new LinkedHashMap<>();
        List<SentimentRunResult> sweep = new ArrayList<>();
        Map<BenchmarkArm, SentimentRunResult> chosenSeedZero = new LinkedHashMap<>();
        for (MethodType type : neededMethods(settings)) {
            SentimentRunResult best = null;
            for (double lr : settings.sweep().get(type)) {
                SentimentRunResult result = runs.run(spec(s, BenchmarkArm.of(type), lr, 0, model, out));
                sweep.add(result);
                log.printf(Locale.ROOT, "sweep %s lr %s: val %.1f (loss %.3f), %.0f ms/step, %.0f s%n", type.id(), lr,
                        100 * result.validationAccuracy(), result.validationLoss(), result.medianStepMillis(),
                        result.wallSeconds());
                if (best == null || result.validationAccuracy() > best.validationAccuracy()
                        || (result.validationAccuracy() == best.validationAccuracy()
                        && result.validationLoss() < best.validationLoss())) {
                    best = result;
                }
            }
            learningRates.put(type.id(), best.spec().learningRate());
            chosenSeedZero.put(BenchmarkArm.of(type), best);
        }
        log.println("learning rates chosen on amazon-val: " + learningRates);
        // 2. every arm with every seed on the test sets (a method's seed-0 run is its chosen sweep run)
        List<SentimentRunResult> tests = new ArrayList<>();
        int total = 0;
        for (BenchmarkArm arm : settings.arms()) {
            total += seedsOf(settings, arm).size();
        }
        int done = 0;
        for (BenchmarkArm arm : settings.arms()) {
            for (long seed : seedsOf(settings, arm)) {
                SentimentRunResult result = seed == 0 && chosenSeedZero.containsKey(arm) ? chosenSeedZero.get(arm)
                        : runs.run(spec(s, arm, learningRates.get(arm.type().id()), seed, model, out));
                tests.add(result);
                log.printf(Locale.ROOT, "[%d/%d] %s seed %d: ID %.1f, yelp %.1f, sst2 %.1f; %.0f ms/step, %.0f MiB, "
                                + "%.0f s%n", ++done, total, arm.name(), seed, 100 * result.idAccuracy(),
                        100 * result.accuracyByDomain().get("yelp"), 100 * result.accuracyByDomain().get("sst2"),
                        result.medianStepMillis(), result.peakMemoryMib(), result.wallSeconds());
            }
        }
        // 3. the continual sequence
        RunCache<SentimentContinualSpec, SentimentContinualResult> continualRuns = new RunCache<>(out.resolve("runs"),
                spec -> SentimentContinualRun.execute(spec, data, ContinualListener.NONE), options.fresh,
                SentimentContinualSpec::label, SentimentContinualResult.class, SentimentContinualResult::spec);
        List<SentimentContinualResult> continual = new ArrayList<>();
        for (ContinualMethod method : settings.continualMethods()) {
            for (long seed : settings.continualSeeds()) {
                SentimentContinualResult result = continualRuns.run(new SentimentContinualSpec(method,
                        method.defaultLearningRate(), seed, settings.epochs(), settings.batchSize(),
                        settings.maxSeqLength(), settings.continualTrainRows(), settings.evalRows(), model.toString(),
                        out.resolve("work").resolve("continual-" + method.id() + "-" + seed).toString()));
                continual.add(result);
                log.printf(Locale.ROOT, "continual %s seed %d: AA %.1f, BWT %.1f; %.0f ms/step, %.0f s%n", method.id(),
                        seed, 100 * result.averageAccuracy(), 100 * result.backwardTransfer(),
                        result.medianStepMillis(), result.wallSeconds());
            }
        }
        SentimentReport report = new SentimentReport(command, startedAt, (System.nanoTime() - start) / 6e10, machine,
                MachineInfo.currentLoadAverage(), settings, learningRates, sweep, tests, continual);
        Files.writeString(out.resolve("results.md"), report.markdown(), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("results.json"), Json.PRETTY.writeValueAsString(report), StandardCharsets.UTF_8);
        return report;
    }

    private static List<MethodType> neededMethods(SentimentSettings settings) {
        return Arrays.stream(MethodType.values())
                .filter(type -> settings.arms().stream().anyMatch(arm -> arm.type() == type))
                .toList();
    }

    private static List<Long> seedsOf(SentimentSettings settings, BenchmarkArm arm) {
        return arm.isMethodDefault() ? settings.seeds()
                : settings.seeds().subList(0, Math.min(settings.variantSeeds(), settings.seeds().size()));
    }

    private static SentimentRunSpec spec(SentimentSettings s, BenchmarkArm arm, double lr, long seed, Path model,
                                         Path out) {
        SentimentRunSpec draft = new SentimentRunSpec(arm, lr, seed, s.epochs(), arm.headWarmup() ? 1 : 0,
                s.batchSize(), s.maxSeqLength(), s.trainRows(), s.evalRows(), model.toString(), "");
        return new SentimentRunSpec(arm, lr, seed, s.epochs(), draft.headWarmupEpochs(), s.batchSize(),
                s.maxSeqLength(), s.trainRows(), s.evalRows(), model.toString(),
                out.resolve("work").resolve(draft.label()).toString());
    }
}
