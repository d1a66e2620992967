package dev.largo.worker.engine.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.method.gorp.GorpConfig;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorInfo;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.TrainingCancelledException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The continual harness on a tiny ViT and three synthetic tasks: resumed and continued runs end bit-identical to
 * uninterrupted ones (checkpoint files, exports and accuracy rows compared byte for byte), the matrix has a row
 * per task, and every baseline runs through the same harness.
 */
class ContinualRunnerTest {

    private static final Hyperparameters HYPER = new Hyperparameters(2, 16, 3e-3, 0.0, 0.2, 1.0, 0, 1, 1);
    /** Small k and T so the GaLore projector is refreshed within a task. */
    private static final GorpConfig GORP = new GorpConfig(2, 4, List.of("query", "value"),
            List.of("intermediate.dense"), 3, 2, 0.25, 0.9, null);

    @TempDir
    Path dir;

    private ContinualJob job(ContinualMethod method, int tasks, Path weights) {
        return new ContinualJob("tiny-vit", ContinualFixtures.CONFIG, weights, ContinualFixtures.tasks(tasks), method,
                method == ContinualMethod.GORP ? GORP : null, HYPER, 7);
    }

    @Test
    void gorpResumedAfterTaskTwoOrContinuedWithATaskEndsIdenticalToAnUninterruptedRun() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        ContinualResult straight = new ContinualRunner(job(ContinualMethod.GORP, 3, weights), dir.resolve("straight"),
                ContinualListener.NONE, () -> false, null).run(null);
        assertThat(straight.matrix().rows()).isEqualTo(3);
        assertThat(straight.tasks()).hasSize(3);

        // Stopped right after task 2 (index 1) ended, then resumed from its end-of-task checkpoint.
        AtomicBoolean stop = new AtomicBoolean();
        ContinualListener stopAfterSecond = new ContinualListener() {
            @Override
            public void onTaskEnd(TaskOutcome outcome) {
                stop.set(outcome.taskIndex() == 1);
            }
        };
        Path interrupted = dir.resolve("interrupted");
        assertThatThrownBy(() -> new ContinualRunner(job(ContinualMethod.GORP, 3, weights), interrupted,
                stopAfterSecond, stop::get, null).run(null)).isInstanceOf(TrainingCancelledException.class);
        Path afterSecond = interrupted.resolve("checkpoints/task-01-end.safetensors");
        ContinualResult resumed = new ContinualRunner(job(ContinualMethod.GORP, 3, weights), interrupted,
                ContinualListener.NONE, () -> false, null).run(afterSecond);
        assertThat(resumed.tasks()).extracting(TaskOutcome::taskIndex).containsExactly(2);
        assertSameEnd(straight, resumed);

        // A two-task job continued with a third task.
        Path twoTasks = dir.resolve("two");
        new ContinualRunner(job(ContinualMethod.GORP, 2, weights), twoTasks, ContinualListener.NONE, () -> false, null)
                .run(null);
        ContinualResult continued = new ContinualRunner(job(ContinualMethod.GORP, 3, weights), twoTasks,
                ContinualListener.NONE, () -> false, null).run(twoTasks.resolve("checkpoints/task-01-end.safetensors"));
        assertSameEnd(straight, continued);
        // Rows of the two-task run had no column for the third task: its forward-transfer entries are unknown.
        assertThat(continued.matrix().accuracy()[0][2]).isNaN();
        assertThat(continued.matrix().accuracy()[2]).containsExactly(straight.matrix().accuracy()[2]);

        // Stopped in the middle of task 2 (after its first epoch), resumed from that epoch's checkpoint.
        AtomicBoolean midStop = new AtomicBoolean();
        Path mid = dir.resolve("mid");
        ContinualListener stopMidSecond = new ContinualListener() {
            @Override
            public void onCheckpoint(int epoch, long step, Path file) {
                midStop.set(file.getFileName().toString().equals("task-01-epoch-001.safetensors"));
            }
        };
        assertThatThrownBy(() -> new ContinualRunner(job(ContinualMethod.GORP, 3, weights), mid, stopMidSecond,
                midStop::get, null).run(null)).isInstanceOf(TrainingCancelledException.class);
        ContinualResult midResumed = new ContinualRunner(job(ContinualMethod.GORP, 3, weights), mid,
                ContinualListener.NONE, () -> false, null).run(mid.resolve("checkpoints/task-01-epoch-001.safetensors"));
        assertSameEnd(straight, midResumed);
    }

    @Test
    void gorpCarriesFrozenPairsAndGrowingSharedSpacesInItsCheckpoints() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        ContinualResult result = new ContinualRunner(job(ContinualMethod.GORP, 3, weights), dir.resolve("run"),
                ContinualListener.NONE, () -> false, null).run(null);
        String query = "vit.encoder.layer.0.attention.attention.query";
        String intermediate = "vit.encoder.layer.0.intermediate.dense";
        int previous = 0;
        for (TaskOutcome outcome : result.tasks()) {
            Map<String, long[]> shapes = stateShapes(outcome.checkpoint());
            long[] space = shapes.get("gorp.shared." + intermediate + ".weight");
            assertThat(space).as("after task %d", outcome.taskIndex()).isNotNull();
            // The MLP weight is 32 x 16: the space lives on its 32-wide output side, at most 32 vectors.
            assertThat(space[0]).isEqualTo(32);
            assertThat(space[1]).isBetween((long) Math.max(previous, 1), 32L);
            previous = (int) space[1];
            assertThat(shapes.get("gorp.shared." + query + ".lora_A")[0]).isEqualTo(16);
            long[] frozen = shapes.get("gorp.frozen." + query + ".A");
            if (outcome.taskIndex() == 0) {
                assertThat(frozen).isNull();
            } else {
                // The end-of-task state holds the pairs of the tasks before (the current one is a parameter).
                assertThat(frozen).containsExactly(2L * outcome.taskIndex(), 16L);
            }
        }
        // Frozen pairs never change: task 1's pair (rows 0-1 of A_f) is the same after task 2 as after task 1.
        float[] afterSecond = floats(result.tasks().get(1).checkpoint(), "state.gorp.frozen." + query + ".A");
        float[] afterThird = floats(result.tasks().get(2).checkpoint(), "state.gorp.frozen." + query + ".A");
        assertThat(java.util.Arrays.copyOf(afterThird, afterSecond.length)).containsExactly(afterSecond);
        // ... and it is what task 1 trained: its current A at the end of task 1.
        assertThat(floats(result.tasks().get(0).checkpoint(), "param." + query + ".lora_A")).containsExactly(afterSecond);
        for (double[] row : result.matrix().accuracy()) {
            for (double accuracy : row) {
                assertThat(accuracy).isBetween(0.0, 1.0);
            }
        }
        assertThat(result.matrix().averageAccuracy()).isBetween(0.0, 1.0);
        assertThat(result.matrix().backwardTransfer()).isBetween(-1.0, 1.0);
    }

    @Test
    void baselinesRunInTheSameHarness() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        for (ContinualMethod method : List.of(ContinualMethod.LORA, ContinualMethod.FULL, ContinualMethod.LARGO,
                ContinualMethod.JOINT)) {
            Path work = dir.resolve(method.id());
            ContinualResult result = new ContinualRunner(job(method, 2, weights), work, ContinualListener.NONE,
                    () -> false, null).run(null);
            assertThat(result.matrix().rows()).as(method.id()).isEqualTo(2);
            double[] last = result.matrix().accuracy()[1];
            assertThat(last[0]).isBetween(0.0, 1.0);
            assertThat(last[1]).isBetween(0.0, 1.0);
            if (method == ContinualMethod.JOINT) {
                assertThat(result.tasks()).extracting(TaskOutcome::taskName).containsExactly("joint");
                assertThat(result.matrix().accuracy()[0][0]).isNaN();
                assertThat(result.matrix().backwardTransfer()).isNaN();
            } else {
                assertThat(result.tasks()).hasSize(2);
                assertThat(result.matrix().backwardTransfer()).isBetween(-1.0, 1.0);
            }
            TaskOutcome end = result.tasks().get(result.tasks().size() - 1);
            assertThat(end.adapterZip()).exists();
            assertThat(end.mergedModel().resolve("model.safetensors")).exists();
        }
    }

    @Test
    void refusesACheckpointOfAnotherConfiguration() throws Exception {
        Path weights = ContinualFixtures.baseWeights(dir);
        Path work = dir.resolve("lora");
        new ContinualRunner(job(ContinualMethod.LORA, 1, weights), work, ContinualListener.NONE, () -> false, null)
                .run(null);
        assertThatThrownBy(() -> new ContinualRunner(job(ContinualMethod.GORP, 2, weights), dir.resolve("gorp"),
                ContinualListener.NONE, () -> false, null).run(work.resolve("checkpoints/task-00-end.safetensors")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another run configuration");
    }

    private static void assertSameEnd(ContinualResult expected, ContinualResult actual) throws Exception {
        TaskOutcome a = expected.tasks().get(expected.tasks().size() - 1);
        TaskOutcome b = actual.tasks().get(actual.tasks().size() - 1);
        assertThat(b.accuracyRow()).containsExactly(a.accuracyRow());
        // Every checkpoint tensor (parameters, optimizer state, frozen pairs, shared spaces) bit for bit; the
        // metadata may differ only in the earlier rows' forward-transfer entries of a continued job.
        Map<String, byte[]> expectedTensors = tensorBytes(a.checkpoint());
        Map<String, byte[]> actualTensors = tensorBytes(b.checkpoint());
        assertThat(actualTensors.keySet()).containsExactlyElementsOf(expectedTensors.keySet());
        expectedTensors.forEach((name, bytes) ->
                assertThat(java.util.Arrays.equals(actualTensors.get(name), bytes)).as("tensor %s", name).isTrue());
        assertThat(Files.readAllBytes(b.adapterZip())).as("adapter zip").isEqualTo(Files.readAllBytes(a.adapterZip()));
        assertThat(java.util.Arrays.equals(Files.readAllBytes(b.mergedModel().resolve("model.safetensors")),
                Files.readAllBytes(a.mergedModel().resolve("model.safetensors")))).as("merged model").isTrue();
    }

    private static Map<String, byte[]> tensorBytes(Path file) throws Exception {
        Map<String, byte[]> tensors = new java.util.LinkedHashMap<>();
        try (var in = SafeTensors.open(file)) {
            for (TensorInfo info : in.header().tensors().values()) {
                tensors.put(info.name(), in.readBytes(info.name()));
            }
        }
        return tensors;
    }

    private static float[] floats(Path checkpoint, String name) throws Exception {
        try (var in = SafeTensors.open(checkpoint)) {
            return in.readFloats(name);
        }
    }

    private static Map<String, long[]> stateShapes(Path checkpoint) throws Exception {
        Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        for (TensorInfo info : SafeTensors.readHeader(checkpoint).tensors().values()) {
            if (info.name().startsWith("state.")) {
                shapes.put(info.name().substring("state.".length()), info.shape());
            }
        }
        return shapes;
    }
}
