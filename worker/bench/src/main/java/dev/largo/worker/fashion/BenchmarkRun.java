package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.BuiltinModel;
import dev.largo.worker.builtin.FashionShift;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.bench.ProcessMemory;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.frontier.Frontier;
import dev.largo.worker.engine.frontier.FrontierEvaluator;
import dev.largo.worker.engine.frontier.WeightInterpolation;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluatedSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobResult;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.TrainingJob;
import dev.largo.worker.engine.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one benchmark run through the worker's own engine entry point, {@link JobRunner}: the same job a user
 * submits (base model, training split, tagged evaluation splits, method, hyper-parameters, seed), with the
 * base reference skipped (the linear_probe row is that reference) and one evaluation at the end.
 */
public final class BenchmarkRun {

    private BenchmarkRun() {
    }

    public static RunResult execute(RunSpec spec, String peakMemoryScope, TrainingListener listener)
            throws IOException, InvalidDatasetException {
        long start = System.nanoTime();
        BenchmarkData data = new BenchmarkData(Path.of(spec.dataDirectory()));
        Path baseDirectory = Path.of(spec.baseModelDirectory());
        ModelConfig baseConfig = ModelConfig.parse(
                Files.readString(baseDirectory.resolve(BuiltinModel.CONFIG), StandardCharsets.UTF_8));
        List<EvalSplit> splits = new ArrayList<>();
        if (RunSpec.VALIDATION.equals(spec.evaluation())) {
            splits.add(new EvalSplit("validation", SplitKind.ID, FashionShift.ID_STYLE.id(), data.validation()));
        } else {
            for (Map.Entry<Style, ImageDataset> test : data.tests().entrySet()) {
                Style style = test.getKey();
                splits.add(new EvalSplit("test-" + style.id(), style == FashionShift.ID_STYLE ? SplitKind.ID : SplitKind.OOD,
                        style.id(), test.getValue()));
            }
        }
        int totalEpochs = spec.headWarmupEpochs() + spec.epochs();
        Hyperparameters hyper = new Hyperparameters(spec.epochs(), spec.batchSize(), spec.learningRate(),
                spec.weightDecay(), spec.warmupRatio(), spec.gradClip(), spec.headWarmupEpochs(), totalEpochs,
                totalEpochs);
        TrainingJob job = new TrainingJob(BuiltinAssets.BASE_MODEL_ID, baseConfig,
                baseDirectory.resolve(BuiltinModel.WEIGHTS), data.train(), splits, spec.arm().methodConfig(), hyper,
                spec.seed(), 0, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
        Path work = Path.of(spec.workDirectory());
        JobResult result;
        Frontier validationFrontier = null;
        Frontier testFrontier = null;
        try {
            result = new JobRunner(job, work, listener, () -> false).run(null);
            if (spec.frontierPoints() > 0) {
                List<Double> alphas = Frontier.grid(spec.frontierPoints());
                WeightInterpolation interpolation = WeightInterpolation.fromFiles(
                        baseDirectory.resolve(BuiltinModel.WEIGHTS), result.initialHead(),
                        result.mergedModel().resolve(MergedModelWriter.WEIGHTS));
                FrontierEvaluator frontier = new FrontierEvaluator(new Evaluator(job.inputs(), spec.batchSize()));
                Path config = result.mergedModel().resolve(MergedModelWriter.CONFIG);
                Path weights = result.mergedModel().resolve(MergedModelWriter.WEIGHTS);
                try (NDManager manager = NDManager.newBaseManager()) {
                    validationFrontier = frontier.evaluate(config, weights, interpolation,
                            List.of(new EvalSplit("validation", SplitKind.ID, FashionShift.ID_STYLE.id(),
                                    data.validation())), alphas, manager, (done, total, point) -> { }, () -> false);
                    if (RunSpec.TEST.equals(spec.evaluation())) {
                        List<EvalSplit> limited = new ArrayList<>();
                        for (EvalSplit split : splits) {
                            limited.add(new EvalSplit(split.name(), split.kind(), split.domain(),
                                    BenchmarkData.limit((ImageDataset) split.data(), spec.frontierTestImages())));
                        }
                        testFrontier = frontier.evaluate(config, weights, interpolation, limited, alphas, manager,
                                (done, total, point) -> { }, () -> false);
                    }
                }
            }
        } finally {
            deleteRecursively(work);
        }
        EvaluationReport last = result.finalEvaluation();
        Map<String, Double> byDomain = new LinkedHashMap<>();
        double idLoss = Double.NaN;
        for (EvaluatedSplit split : last.splits()) {
            byDomain.put(split.domain(), split.metrics().accuracy());
            if (split.inDomain()) {
                idLoss = split.metrics().meanLoss();
            }
        }
        return new RunResult(spec, byDomain, last.summary().idAccuracy(), last.summary().oodMeanAccuracy(),
                last.summary().oodWorstAccuracy(), idLoss, result.trainableParameters(), result.steps(),
                result.medianStepMillis(), ProcessMemory.peakResidentKb() / 1024.0, peakMemoryScope,
                (System.nanoTime() - start) / 1e9, validationFrontier, testFrontier);
    }

    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
