package dev.largo.worker.engine.reference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.testing.SyntheticImages;
import dev.largo.worker.engine.testing.TinyModels;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingJob;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.engine.train.TrainingPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base reference of a job: the same for any seed of the job, and at least as good as the SGD probe it
 * replaced (linear_probe's default learning rate, a few epochs), on a random ViT standing in for a base model.
 */
class BaseReferenceTest {

    private static final ImageDataset TRAIN = SyntheticImages.quadrants(96, 4, 8, 1);
    private static final ImageDataset TEST = SyntheticImages.quadrants(80, 4, 8, 2);
    private static final ImageBatcher BATCHER = new ImageBatcher(8, 8, 1, ImageBatcher.DEFAULT_MEAN,
            ImageBatcher.DEFAULT_STD);

    @TempDir
    Path dir;

    @Test
    void aJobsReferenceDoesNotDependOnItsSeed() throws Exception {
        Path config = writeBase();
        EvaluationReport first = runJob(config, 0).reference();
        EvaluationReport second = runJob(config, 1).reference();
        assertThat(first.model()).isEqualTo(EvaluationReport.BASE);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void theConvergedProbeIsAtLeastAsGoodAsTheSgdProbeItReplaced() throws Exception {
        Path config = writeBase();
        List<EvalSplit> splits = List.of(new EvalSplit("test", SplitKind.ID, "clean", TEST));
        double reference;
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = ModelLoader.loadImage(config, dir.resolve("model.safetensors"), manager)) {
            reference = BaseReference.evaluate(model, TRAIN, TRAIN.classNames(), splits, BATCHER, 16, () -> false)
                    .report().summary().idAccuracy();
        }
        for (long seed = 0; seed < 3; seed++) {
            try (NDManager manager = NDManager.newBaseManager();
                 ImageClassifier model = ModelLoader.loadImage(config, dir.resolve("model.safetensors"), manager)) {
                model.replaceHead(TRAIN.classNames(), seed);
                MethodConfig method = MethodConfig.defaults(MethodType.LINEAR_PROBE);
                PreparedMethod prepared = PreparedMethod.prepare(model, method, seed);
                Hyperparameters hyper = new Hyperparameters(3, 16, MethodType.LINEAR_PROBE.defaultLearningRate(), 0,
                        0.1, 1.0, 0, 3, 3);
                try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, TRAIN, BATCHER,
                        seed), TrainingListener.NONE, () -> false, (t, e) -> { })) {
                    trainer.run();
                }
                double sgd = new Evaluator(BATCHER, 16).evaluate(model, TEST).accuracy();
                System.out.printf("seed %d: SGD probe %.3f, converged reference %.3f%n", seed, sgd, reference);
                assertThat(reference).as("seed %d", seed).isGreaterThanOrEqualTo(sgd);
            }
        }
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

    private dev.largo.worker.engine.train.JobResult runJob(Path config, long seed) throws Exception {
        TrainingJob job = new TrainingJob("base", ModelConfig.parse(Files.readString(config)),
                dir.resolve("model.safetensors"), TRAIN, List.of(new EvalSplit("test", SplitKind.ID, "clean", TEST)),
                MethodConfig.defaults(MethodType.LINEAR_PROBE), new Hyperparameters(1, 16, 1e-2, 0, 0.1, 1.0, 0, 1, 1),
                seed, 1, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
        return new JobRunner(job, dir.resolve("run-" + seed), TrainingListener.NONE, () -> false).run(null);
    }
}
