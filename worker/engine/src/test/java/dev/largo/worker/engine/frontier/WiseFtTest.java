package dev.largo.worker.engine.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PeftAdapterLoader;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.testing.SyntheticImages;
import dev.largo.worker.engine.testing.TinyModels;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobResult;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.TrainingJob;
import dev.largo.worker.engine.train.TrainingListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * WiSE-FT on real trained jobs, numerically: theta(alpha) = theta0 + alpha (theta_ft - theta0). alpha 0 gives the
 * base model's logits with the head fine-tuning started from, alpha 1 the fine-tuned model's, the weights are linear
 * in alpha, and the downloads at alpha (the LoRA adapter with lora_alpha scaled and the head interpolated, applied
 * to the unmodified base by PEFT's rule; the merged folder) give the logits the frontier evaluated.
 */
class WiseFtTest {

    private static final ImageDataset TRAIN = SyntheticImages.quadrants(96, 4, 8, 1);
    private static final ImageDataset TEST = SyntheticImages.quadrants(40, 4, 8, 2);
    private static final ImageBatcher BATCHER = new ImageBatcher(8, 8, 1, ImageBatcher.DEFAULT_MEAN,
            ImageBatcher.DEFAULT_STD);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, head warm-up {1}")
    @CsvSource({"lora, 0", "largo, 0", "pissa, 1", "full, 0", "ftp, 1", "linear_probe, 0"})
    void theCurveRunsFromTheStartToTheFineTunedModelLinearlyInTheWeights(String method, int warmup) throws Exception {
        Path baseConfig = writeBase();
        Path baseWeights = dir.resolve("model.safetensors");
        MethodType type = MethodType.fromId(method);
        JobResult result = runJob(baseConfig, type, warmup);
        Path merged = result.mergedModel().resolve(MergedModelWriter.WEIGHTS);
        Path mergedConfig = result.mergedModel().resolve(MergedModelWriter.CONFIG);
        WeightInterpolation interpolation = WeightInterpolation.fromFiles(baseWeights, result.initialHead(), merged);

        try (SafeTensorsFile ft = SafeTensorsFile.open(merged); SafeTensorsFile base = SafeTensorsFile.open(baseWeights);
                SafeTensorsFile head = SafeTensorsFile.open(result.initialHead())) {
            assertThat(head.header().names()).containsExactlyInAnyOrder("classifier.weight", "classifier.bias");
            for (String name : interpolation.names()) {
                float[] start = head.header().contains(name) ? head.readFloats(name) : base.readFloats(name);
                assertThat(interpolation.at(name, 0)).as("alpha 0, %s", name).containsExactly(start);
                assertThat(interpolation.at(name, 1)).as("alpha 1, %s", name).containsExactly(ft.readFloats(name));
                float[] third = interpolation.at(name, 0.3);
                for (int i = 0; i < third.length; i++) {
                    assertThat((double) third[i]).isCloseTo(0.7 * start[i] + 0.3 * ft.readFloats(name)[i],
                            org.assertj.core.data.Offset.offset(1e-6));
                }
            }
            if (!type.trainsBaseWeights()) {
                // Adapters and probes leave every base tensor but the targets' weights as they were.
                for (String name : interpolation.names()) {
                    if (!name.startsWith("classifier.") && !name.endsWith("weight")) {
                        assertThat(ft.readFloats(name)).as(name).containsExactly(base.readFloats(name));
                    }
                }
            }
        }

        try (NDManager manager = NDManager.newBaseManager();
                ImageClassifier start = ModelLoader.loadImage(baseConfig, baseWeights, manager);
                ImageClassifier fineTuned = ModelLoader.loadImage(mergedConfig, merged, manager);
                ImageClassifier interpolated = ModelLoader.loadImage(mergedConfig, merged, manager)) {
            Map<String, NDArray> initialHead = SafeTensors.loadAsNDArrays(result.initialHead(), manager);
            start.replaceHead(TRAIN.classNames(), initialHead.get("classifier.weight"), initialHead.get("classifier.bias"));

            set(interpolated, interpolation, 0);
            assertClose(logits(interpolated), logits(start), 1e-5, "alpha 0 = base model with the initial head");
            set(interpolated, interpolation, 1);
            assertClose(logits(interpolated), logits(fineTuned), 0, "alpha 1 = fine-tuned model");

            set(interpolated, interpolation, 0.4);
            float[] atAlpha = logits(interpolated);
            if (result.adapter().hasAdapter()) {
                Path zip = dir.resolve("adapter-0.4.zip");
                try (InputStream in = Files.newInputStream(result.adapterZip()); OutputStream out = Files.newOutputStream(zip)) {
                    InterpolatedExports.adapterAt(in, result.initialHead(), 0.4, out);
                }
                try (ImageClassifier base = ModelLoader.loadImage(baseConfig, baseWeights, manager)) {
                    PeftAdapterLoader.apply(base, zip);
                    assertClose(logits(base), atAlpha, 1e-4, "PEFT adapter with lora_alpha x 0.4 on the base");
                }
            } else {
                assertThatThrownBy(() -> {
                    try (InputStream in = Files.newInputStream(result.adapterZip())) {
                        InterpolatedExports.adapterAt(in, result.initialHead(), 0.4, OutputStream.nullOutputStream());
                    }
                }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format=merged");
            }
            Path mergedZip = dir.resolve("merged.zip");
            dev.largo.worker.engine.export.HfModelFolder.zip(result.mergedModel(), mergedZip);
            Path mergedAtAlpha = dir.resolve("merged-0.4");
            try (InputStream in = Files.newInputStream(mergedZip);
                    OutputStream out = Files.newOutputStream(dir.resolve("merged-0.4.zip"))) {
                InterpolatedExports.mergedAt(baseWeights, result.initialHead(), in, 0.4, out);
            }
            unzip(dir.resolve("merged-0.4.zip"), mergedAtAlpha);
            try (ImageClassifier folder = ModelLoader.loadImage(mergedAtAlpha.resolve("config.json"),
                    mergedAtAlpha.resolve("model.safetensors"), manager)) {
                assertClose(logits(folder), atAlpha, 0, "merged folder at alpha 0.4");
            }
        }

        FrontierEvaluator evaluator = new FrontierEvaluator(new Evaluator(BATCHER, 16));
        try (NDManager manager = NDManager.newBaseManager()) {
            Frontier curve = evaluator.evaluate(mergedConfig, merged, interpolation,
                    List.of(new EvalSplit("test", SplitKind.ID, "clean", TEST)), Frontier.grid(3), manager,
                    (done, total, point) -> { }, () -> false);
            assertThat(curve.points()).extracting(FrontierPoint::alpha).containsExactly(0.0, 0.5, 1.0);
            assertThat(curve.at(1.0).orElseThrow().idAccuracy())
                    .isEqualTo(result.finalEvaluation().summary().idAccuracy());
        }
    }

    private static void set(ImageClassifier model, WeightInterpolation interpolation, double alpha) {
        model.tensors().forEach((name, tensor) -> tensor.set(interpolation.at(name, alpha)));
    }

    private static float[] logits(ImageClassifier model) {
        int[] all = new int[TEST.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try (ForwardScope scope = ForwardScope.open(model)) {
            return model.logits(BATCHER.images(TEST, all, scope.manager())).toType(DataType.FLOAT32, false)
                    .toFloatArray();
        }
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertThat(worst).as(what + ": largest logit difference").isLessThanOrEqualTo(tolerance);
    }

    private Path writeBase() throws Exception {
        ModelConfig config = TinyModels.grayVit(3);
        Files.writeString(dir.resolve("config.json"), config.toJson());
        try (NDManager manager = NDManager.newBaseManager()) {
            SafeTensors.writeNDArrays(dir.resolve("model.safetensors"),
                    TinyModels.randomTensors(config, 11, 0.3, DataType.FLOAT32, manager), Map.of());
        }
        return dir.resolve("config.json");
    }

    private JobResult runJob(Path config, MethodType type, int warmup) throws Exception {
        TrainingJob job = new TrainingJob("base", ModelConfig.parse(Files.readString(config)),
                dir.resolve("model.safetensors"), TRAIN, List.of(new EvalSplit("test", SplitKind.ID, "clean", TEST)),
                MethodConfig.defaults(type), new Hyperparameters(2, 16, type.defaultLearningRate() * 10, 0, 0.1, 1.0,
                warmup, 2 + warmup, 2 + warmup), 5, 0, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
        return new JobRunner(job, dir.resolve("run-" + type.id()), TrainingListener.NONE, () -> false).run(null);
    }

    private static void unzip(Path zip, Path into) throws Exception {
        Files.createDirectories(into);
        for (Map.Entry<String, byte[]> entry : InterpolatedExports.readZip(Files.newInputStream(zip)).entrySet()) {
            Files.write(into.resolve(entry.getKey()), entry.getValue());
        }
    }
}
