package dev.largo.worker.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.testing.SyntheticImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming reproduces the uninterrupted run EXACTLY (bit for bit, tolerance 0): training is deterministic on
 * the CPU, the checkpoint stores float32 values, optimizer and LARGO state and the batch order's cursor,
 * and SVD inits are rebuilt from their stored factors.
 */
class CheckpointTest {

    private static final ImageDataset TRAIN = SyntheticImages.quadrants(64, 4, 8, 3);
    private static final ImageBatcher BATCHER = new ImageBatcher(8, 8, 1, ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, head warm-up {1}")
    @CsvSource({"LARGO, 0", "LORA, 0", "FTP, 0", "PISSA, 1", "FULL, 1"})
    void twoEpochsStraightEqualOneEpochSaveLoadOneEpoch(MethodType type, int headWarmup) throws Exception {
        MethodConfig method = MethodConfig.defaults(type);
        int epochs = 2 - headWarmup;
        Hyperparameters hyper = new Hyperparameters(epochs, 16, 3e-3, 0.01, 0.25, 1.0, headWarmup, 1, 1);
        List<Double> straightLosses = new ArrayList<>();
        Map<String, float[]> straight;
        try (NDManager manager = NDManager.newBaseManager(); ImageClassifier model = TrainerTest.model(manager, 4)) {
            PreparedMethod prepared = PreparedMethod.prepare(model, method, 9);
            try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, TRAIN, BATCHER, 9),
                    losses(straightLosses), () -> false, (t, e) -> { })) {
                trainer.run();
            }
            straight = TrainerTest.snapshot(model);
        }

        Path file = dir.resolve("epoch-1.safetensors");
        List<Double> resumedLosses = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(); ImageClassifier model = TrainerTest.model(manager, 4)) {
            PreparedMethod prepared = PreparedMethod.prepare(model, method, 9);
            Trainer.EpochEndHook saveAndStop = (trainer, epoch) -> {
                try {
                    Checkpoint.write(trainer, file, "hash-1", Map.of("note", "first attempt"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, TRAIN, BATCHER, 9),
                    losses(resumedLosses), () -> resumedLosses.size() == 4, saveAndStop)) {
                assertThatThrownBy(trainer::run).isInstanceOf(TrainingCancelledException.class);
            }
        }
        try (NDManager manager = NDManager.newBaseManager(); ImageClassifier model = TrainerTest.model(manager, 4)) {
            Checkpoint.Data data = Checkpoint.read(file, manager);
            assertThat(data.epochsDone()).isEqualTo(1);
            assertThat(data.step()).isEqualTo(4);
            assertThat(data.extra()).containsEntry("note", "first attempt");
            PreparedMethod prepared = PreparedMethod.prepare(model, method, 9, data);
            try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, TRAIN, BATCHER, 9),
                    losses(resumedLosses), () -> false, (t, e) -> { })) {
                Checkpoint.restore(trainer, data, "hash-1");
                trainer.run();
                assertThat(trainer.step()).isEqualTo(8);
            }
            Map<String, float[]> resumed = TrainerTest.snapshot(model);
            assertThat(resumedLosses).containsExactlyElementsOf(straightLosses);
            assertThat(resumed.keySet()).isEqualTo(straight.keySet());
            straight.forEach((name, values) -> assertThat(resumed.get(name)).as(name).isEqualTo(values));
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefused() throws Exception {
        MethodConfig method = MethodConfig.defaults(MethodType.LORA);
        Hyperparameters hyper = new Hyperparameters(1, 32, 1e-3, 0, 0.1, 1.0, 0, 1, 1);
        Path file = dir.resolve("c.safetensors");
        try (NDManager manager = NDManager.newBaseManager(); ImageClassifier model = TrainerTest.model(manager, 4)) {
            PreparedMethod prepared = PreparedMethod.prepare(model, method, 1);
            try (Trainer trainer = new Trainer(new TrainingPlan(model, method, prepared, hyper, TRAIN, BATCHER, 1),
                    TrainingListener.NONE, () -> false, (t, e) -> { })) {
                trainer.run();
                Checkpoint.write(trainer, file, "hash-a", Map.of());
            }
            Checkpoint.Data data = Checkpoint.read(file, manager);
            assertThatThrownBy(() -> Checkpoint.verify(data, "hash-b")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another run configuration");
        }
    }

    private static TrainingListener losses(List<Double> sink) {
        return new TrainingListener() {
            @Override
            public void onStep(StepProgress progress) {
                sink.add(progress.loss());
            }
        };
    }
}
