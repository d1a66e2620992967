package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.testing.TinyModels;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job that cannot succeed, whatever worker runs it, fails at once with {@code error {code, message, param}}
 * naming what to fix, after exactly one attempt: no retry burns the queue's time on it.
 */
class JobFailureTest extends WorkerIntegrationTest {

    private String model;
    private UUID idTest;

    @BeforeEach
    void baseModelAndEvaluationSplit() throws Exception {
        model = fixtures.tinyVit(7);
        idTest = fixtures.dataset("test", TinyJobs.quadrants(32, 4, 1, 2), "clean");
        start(context(), "worker-1");
    }

    @Test
    void anRgbDatasetForAGrayscaleModelFailsNamingTheChannels() throws Exception {
        UUID rgb = fixtures.dataset("rgb", TinyJobs.quadrants(32, 4, 3, 1), null);
        UUID job = submit(rgb, splits(idTest), "lora", 16);
        assertFailed(job, "invalid_dataset", "training_dataset", "has 3-channel images but the base model takes"
                + " 1-channel images");
    }

    @Test
    void aTrainingDatasetWithOneClassFails() throws Exception {
        UUID single = fixtures.dataset("single", TinyJobs.quadrants(32, 1, 1, 1), null);
        UUID job = submit(single, splits(idTest), "lora", 16);
        assertFailed(job, "invalid_dataset", "training_dataset", "needs at least 2 classes");
    }

    @Test
    void anEvaluationSplitWithAClassTheTrainingSetLacksFails() throws Exception {
        UUID train = fixtures.dataset("train", TinyJobs.quadrants(32, 3, 1, 1), null);
        Map<String, String> splits = splits(idTest);
        UUID job = submit(train, splits, "lora", 16);
        assertFailed(job, "invalid_dataset", "evaluation_splits[0].dataset", "has examples of class \"class3\", which"
                + " the training dataset does not have");
    }

    @Test
    void anOutOfRangeHyperparameterFailsNamingIt() throws Exception {
        UUID train = fixtures.dataset("train", TinyJobs.quadrants(32, 4, 1, 1), null);
        UUID job = submit(train, splits(idTest), "lora", 0);
        assertFailed(job, "invalid_spec", "hyperparameters.batch_size", "hyperparameters.batch_size must be in");
    }

    @Test
    void aLossThatBecomesNaNFailsAsDiverged() throws Exception {
        Path weights = tempDir.resolve("nan.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TinyModels.randomTensors(TinyJobs.tinyVit(), 7, 0.2, DataType.FLOAT32,
                    manager);
            // In the backbone: the task gets a new head, so a NaN in the pretrained one would not matter.
            String backbone = tensors.keySet().stream().filter(name -> name.endsWith("layernorm.bias")).findFirst()
                    .orElseThrow();
            tensors.put(backbone, tensors.get(backbone).mul(Float.NaN));
            SafeTensors.writeNDArrays(weights, tensors, Map.of());
        }
        model = fixtures.model("nan-vit", weights);
        UUID train = fixtures.dataset("train", TinyJobs.quadrants(32, 4, 1, 1), null);
        UUID job = submit(train, splits(idTest), "lora", 16);
        assertFailed(job, "training_diverged", "hyperparameters.learning_rate", "training loss is NaN");
    }

    private Map<String, String> splits(UUID id) {
        Map<String, String> splits = new LinkedHashMap<>();
        splits.put(id.toString(), "id");
        return splits;
    }

    private UUID submit(UUID train, Map<String, String> splits, String method, int batchSize) {
        return fixtures.submit(model, train, TinyJobs.jobRequest(model, train.toString(), splits, method, 2, batchSize,
                1e-2, 3), method, 3);
    }

    private void assertFailed(UUID jobId, String code, String param, String message) throws Exception {
        assertThat(awaitStatus(jobId, Duration.ofSeconds(60), "succeeded", "failed", "cancelled")).isEqualTo("failed");
        Map<String, Object> job = job(jobId);
        assertThat(job).as("%s", events(jobId)).containsEntry("error_code", code).containsEntry("error_param", param)
                .containsEntry("attempts", 1);
        assertThat((String) job.get("error_message")).contains(message);
        List<Map<String, Object>> failed = events(jobId).stream().filter(e -> e.get("type").equals("job.failed")).toList();
        assertThat(failed).hasSize(1);
        assertThat((String) failed.get(0).get("data")).contains("\"code\": \"" + code + "\"");
        // Nothing half-done is left behind for a job that never trained.
        assertThat(checkpoints.findByJobIdOrderByStepAsc(jobId)).isEmpty();
        assertThat(job.get("fine_tuned_adapter_id")).isNull();
    }
}
