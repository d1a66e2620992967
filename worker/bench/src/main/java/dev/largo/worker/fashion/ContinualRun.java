package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.BuiltinModel;
import dev.largo.worker.engine.bench.ProcessMemory;
import dev.largo.worker.engine.continual.AccuracyMatrix;
import dev.largo.worker.engine.continual.ContinualJob;
import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.ContinualMethod;
import dev.largo.worker.engine.continual.ContinualResult;
import dev.largo.worker.engine.continual.ContinualRunner;
import dev.largo.worker.engine.continual.ContinualTask;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.train.Hyperparameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one continual benchmark run through the engine's {@link ContinualRunner}: the fashion-shift sequence
 * (task t: 2,000 training images in style t; evaluated on style t's test set), or for a sweep run the first
 * task alone scored on its validation split.
 */
public final class ContinualRun {

    private ContinualRun() {
    }

    public static ContinualRunResult execute(ContinualRunSpec spec, ContinualListener listener)
            throws IOException, InvalidDatasetException {
        long start = System.nanoTime();
        Path data = Path.of(spec.dataDirectory());
        Path baseDirectory = Path.of(spec.baseModelDirectory());
        ModelConfig baseConfig = ModelConfig.parse(
                Files.readString(baseDirectory.resolve(BuiltinModel.CONFIG), StandardCharsets.UTF_8));
        List<ContinualTask> tasks = new ArrayList<>();
        if (RunSpec.VALIDATION.equals(spec.evaluation())) {
            tasks.add(new ContinualTask(Style.CLEAN.id(), ContinualData.train(data, Style.CLEAN),
                    List.of(new EvalSplit("validation", SplitKind.ID, Style.CLEAN.id(),
                            new BenchmarkData(data).validation()))));
        } else {
            Map<Style, ImageDataset> tests = new BenchmarkData(data).tests();
            for (Style style : Style.values()) {
                tasks.add(new ContinualTask(style.id(), ContinualData.train(data, style),
                        List.of(new EvalSplit("test-" + style.id(), SplitKind.ID, style.id(), tests.get(style)))));
            }
        }
        Hyperparameters hyper = new Hyperparameters(spec.epochs(), spec.batchSize(), spec.learningRate(),
                spec.weightDecay(), spec.warmupRatio(), spec.gradClip(), 0, spec.epochs(), spec.epochs());
        ContinualJob job = new ContinualJob(BuiltinAssets.BASE_MODEL_ID, baseConfig,
                baseDirectory.resolve(BuiltinModel.WEIGHTS), tasks, ContinualMethod.fromId(spec.method()), null, hyper,
                spec.seed());
        Path work = Path.of(spec.workDirectory());
        ContinualResult result;
        try {
            result = new ContinualRunner(job, work, listener, () -> false, null).run(null);
        } finally {
            BenchmarkRun.deleteRecursively(work);
        }
        AccuracyMatrix matrix = result.matrix();
        Double[][] accuracy = new Double[matrix.rows()][];
        for (int j = 0; j < matrix.rows(); j++) {
            accuracy[j] = new Double[matrix.taskNames().size()];
            for (int i = 0; i < accuracy[j].length; i++) {
                double value = matrix.accuracy()[j][i];
                accuracy[j][i] = Double.isNaN(value) ? null : value;
            }
        }
        double bwt = matrix.backwardTransfer();
        return new ContinualRunResult(spec, matrix.taskNames(), accuracy, matrix.averageAccuracy(),
                Double.isNaN(bwt) ? null : bwt, result.trainableParameters(), result.medianStepMillis(),
                ProcessMemory.peakResidentKb() / 1024.0, (System.nanoTime() - start) / 1e9);
    }
}
