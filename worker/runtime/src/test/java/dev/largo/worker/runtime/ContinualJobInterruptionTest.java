package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A continual job whose worker is lost in the middle of its second task: another worker resumes it from the
 * last checkpoint written (task 2, epoch 1), trains the rest, and the job ends with the accuracy matrix of an
 * uninterrupted run of the same job (the engine is deterministic on one machine and its checkpoints carry the
 * whole continual state) and every task's results stored once. And a continual job whose GORP settings do not
 * fit its model fails at once, naming the field, instead of being retried.
 */
class ContinualJobInterruptionTest extends WorkerIntegrationTest {

    private static final int EXAMPLES = 32;
    private static final int BATCH = 8;
    private static final int STEPS_PER_EPOCH = EXAMPLES / BATCH;
    /** The worker under test freezes in the second task's second epoch, after that task's epoch-1 checkpoint. */
    private static final long PAUSE_AT_STEP = STEPS_PER_EPOCH + 2;
    private static final int TASKS = 3;

    private final List<PausingQueue> pausingQueues = new ArrayList<>();
    private String model;
    private final List<UUID> training = new ArrayList<>();
    private String request;

    @BeforeEach
    void job() throws Exception {
        model = fixtures.tinyVit(7);
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            UUID train = fixtures.dataset("train-" + t, TinyJobs.quadrants(EXAMPLES, 4, 1, 10 + t), "domain" + t);
            UUID test = fixtures.dataset("test-" + t, TinyJobs.quadrants(16, 4, 1, 20 + t), "domain" + t);
            training.add(train);
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("name", "task-" + (t + 1));
            task.put("training_dataset", train.toString());
            task.put("evaluation_splits", List.of(Map.of("dataset", test.toString(), "kind", t == 0 ? "id" : "ood",
                    "domain", "domain" + t)));
            tasks.add(task);
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base_model", model);
        spec.put("tasks", tasks);
        spec.put("method", Map.of("type", "gorp", "gorp", Map.of("rank", 2, "alpha", 4.0, "lora_targets",
                List.of("query", "value"), "full_rank_targets", List.of("intermediate.dense"), "galore_rank", 2,
                "refresh_steps", 3, "galore_scale", 0.25, "energy_threshold", 0.9)));
        spec.put("hyperparameters", Map.of("epochs", 2, "batch_size", BATCH, "learning_rate", 1e-2,
                "checkpoint_every_epochs", 1));
        spec.put("seed", 5);
        request = Json.MAPPER.writeValueAsString(spec);
    }

    @Test
    void aLostWorkersContinualJobIsResumedInItsTaskAndEndsAsAnUninterruptedRun() throws Exception {
        UUID reference = submit();
        QueueWorker referenceWorker = start(context(), "worker-reference");
        assertThat(awaitStatus(reference, Duration.ofSeconds(120), "succeeded", "failed", "cancelled"))
                .isEqualTo("succeeded");
        referenceWorker.stop();

        UUID jobId = submit();
        PausingQueue partitioned = new PausingQueue(jdbc, transactionManager, queue.properties());
        pausingQueues.add(partitioned);
        partitioned.pauseWhen(p -> p.jobId().equals(jobId) && p.step() != null && p.step() >= PAUSE_AT_STEP
                && Integer.valueOf(1).equals(currentTask(jobId)), true);
        start(context().withQueue(partitioned), "worker-a");
        assertThat(partitioned.awaitPaused(Duration.ofSeconds(120))).as("worker-a reached task 2, epoch 2").isTrue();

        jdbc.update("update jobs set lease_expires_at = now() - interval '1 second' where id = ?", jobId);
        assertThat(queue.reapExpiredLeases()).isEqualTo(1);
        start(context(), "worker-b");
        assertThat(awaitStatus(jobId, Duration.ofSeconds(120), "succeeded", "failed", "cancelled")).isEqualTo("succeeded");
        partitioned.resume();

        assertThat(job(jobId)).containsEntry("attempts", 2).containsEntry("current_task", TASKS - 1);
        // resumed from the second task's epoch-1 checkpoint
        List<Map<String, Object>> resumed = events(jobId).stream().filter(e -> e.get("type").equals("job.resumed"))
                .toList();
        assertThat(resumed).hasSize(1);
        assertThat((String) resumed.get(0).get("data")).contains("\"epoch\": 1").contains("\"step\": " + STEPS_PER_EPOCH);
        List<CheckpointEntity> kept = checkpoints.findByJobIdOrderByCreatedAtAscStepAsc(jobId);
        assertThat(kept).extracting(CheckpointEntity::getTaskIndex).as("epoch 1 and end of each task")
                .containsExactly(0, 0, 1, 1, 2, 2);

        // every task's results once, equal to the uninterrupted run's
        assertThat(matrix(jobId)).isEqualTo(matrix(reference)).hasSize(TASKS * TASKS);
        assertThat(jdbc.queryForList("select status from job_tasks where job_id = ? order by task_index", String.class,
                jobId)).containsExactly("succeeded", "succeeded", "succeeded");
        assertThat(jdbc.queryForObject("select count(*) from adapters where job_id = ?", Long.class, jobId))
                .isEqualTo(TASKS);
        assertThat(jdbc.queryForObject("select count(*) from evaluations where job_id = ?", Long.class, jobId))
                .isEqualTo((long) TASKS * TASKS);
        assertThat(jdbc.queryForObject("select fine_tuned_adapter_id = (select adapter_id from job_tasks"
                + " where job_id = ? and task_index = ?) from jobs where id = ?", Boolean.class, jobId, TASKS - 1, jobId))
                .isTrue();
        // the average accuracy after each task is the mean of its row over the tasks seen so far
        List<Double> average = jdbc.queryForList("select average_accuracy from job_tasks where job_id = ?"
                + " order by task_index", Double.class, jobId);
        Map<String, Double> cells = matrix(jobId);
        for (int j = 0; j < TASKS; j++) {
            double sum = 0;
            for (int i = 0; i <= j; i++) {
                sum += cells.get(j + "," + i);
            }
            assertThat(average.get(j)).isEqualTo(sum / (j + 1));
        }
    }

    @Test
    void gorpTargetsThatMatchNoModuleFailTheJobNamingTheField() throws Exception {
        request = request.replace("\"intermediate.dense\"", "\"no.such.module\"");
        UUID jobId = submit();
        start(context(), "worker-c");
        assertThat(awaitStatus(jobId, Duration.ofSeconds(120), "succeeded", "failed", "cancelled")).isEqualTo("failed");
        assertThat(job(jobId)).containsEntry("error_code", "invalid_spec")
                .containsEntry("error_param", "method.gorp.full_rank_targets").containsEntry("attempts", 1);
        assertThat((String) job(jobId).get("error_message")).contains("no.such.module");
    }

    private UUID submit() {
        UUID jobId = fixtures.submit(model, null, request, "gorp", 5);
        for (int t = 0; t < TASKS; t++) {
            jdbc.update("insert into job_tasks (job_id, task_index, training_dataset_id) values (?, ?, ?)", jobId, t,
                    training.get(t));
        }
        return jobId;
    }

    private Integer currentTask(UUID jobId) {
        return jdbc.queryForObject("select current_task from jobs where id = ?", Integer.class, jobId);
    }

    /** "after,task" -> accuracy. */
    private Map<String, Double> matrix(UUID jobId) {
        Map<String, Double> cells = new LinkedHashMap<>();
        jdbc.query("select after_task, task_index, accuracy from task_accuracies where job_id = ?"
                + " order by after_task, task_index", rs -> {
                    cells.put(rs.getInt(1) + "," + rs.getInt(2), rs.getDouble(3));
                }, jobId);
        return cells;
    }

    @AfterEach
    void resumePausedWorkers() {
        pausingQueues.forEach(PausingQueue::resume);
        pausingQueues.clear();
    }
}
