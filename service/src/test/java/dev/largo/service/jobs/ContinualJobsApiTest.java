package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.ContinualResults;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * Continual jobs over HTTP without a worker: creation with tasks and its refusals, the job resource's tasks,
 * {@code /continue}, and the accuracy matrix served at {@code /evaluations}. What a worker writes after each
 * task is written here through the db module, the way the worker writes it.
 */
class ContinualJobsApiTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";

    private String clean;
    private String rotated;
    private String inverted;

    @BeforeEach
    void fixtures() {
        insertBuiltInModel(BASE_MODEL);
        clean = uploadImageDataset("clean", "clean");
        rotated = uploadImageDataset("rotated", "rotated");
        inverted = uploadImageDataset("inverted", "inverted");
    }

    @Test
    void aJobWithTasksGetsItsDefaultsAndTaskRows() {
        Exchange created = api.postJson(JOBS, continualJob("gorp", task(clean), task(rotated)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode job = created.json();
        assertThat(job.get("status").asString()).isEqualTo("queued");
        assertThat(job.get("training_dataset").isNull()).isTrue();
        assertThat(job.get("evaluation_splits").size()).isZero();
        assertThat(job.has("current_task")).isFalse();
        JsonNode tasks = job.get("tasks");
        assertThat(tasks.valueStream().map(t -> t.get("name").asString())).containsExactly("task-1", "task-2");
        assertThat(tasks.valueStream().map(t -> t.get("status").asString())).containsOnly("pending");
        assertThat(tasks.get(1).get("training_dataset").asString()).isEqualTo(rotated);
        // a split's domain defaults to its dataset's tag, as in single jobs
        assertThat(tasks.get(1).get("evaluation_splits").get(0).get("domain").asString()).isEqualTo("rotated");
        assertThat(tasks.get(0).get("adapter").isNull()).isTrue();

        JsonNode gorp = job.get("method").get("gorp");
        assertThat(gorp.get("rank").asInt()).isEqualTo(8);
        assertThat(gorp.get("lora_targets").toString()).isEqualTo("[\"query\",\"value\"]");
        assertThat(gorp.get("full_rank_targets").toString()).isEqualTo("[\"intermediate.dense\"]");
        assertThat(gorp.get("galore_rank").asInt()).isEqualTo(8);
        assertThat(gorp.get("refresh_steps").asInt()).isEqualTo(10);
        assertThat(gorp.get("full_rank_learning_rate").asDouble()).isEqualTo(1e-3);
        assertThat(gorp.get("galore_scale").asDouble()).isEqualTo(0.25);
        assertThat(gorp.get("energy_threshold").asDouble()).isEqualTo(0.9);
        assertThat(job.get("method").has("lora")).isFalse();

        assertThat(jdbc.queryForList("select training_dataset_id::text from job_tasks order by task_index", String.class))
                .containsExactly(clean, rotated);
        assertThat(api.get(JOBS + "/" + job.get("id").asString()).json()).isEqualTo(job);
        assertThat(api.get(JOBS).json().get("data").get(0)).isEqualTo(job);

        // the sequential baselines train with their method's defaults: no settings
        JsonNode lora = api.postJson(JOBS, continualJob("lora", task(clean))).json();
        assertThat(lora.get("method").has("lora")).isFalse();
        assertThat(lora.get("method").has("gorp")).isFalse();
    }

    @Test
    void continualRequestsThatDoNotFitAreRefusedNamingTheField() {
        String letters = api.post("/v1/datasets?name=letters&task_type=image_classification",
                DatasetFiles.imageFolderZip(List.of("a", "b"), 2, 8, 9), "application/octet-stream", Map.of())
                .json().get("id").asString();
        long before = count("datasets");

        assertProblem(api.postJson(JOBS, continualJob("gorp", task(clean)).replace("\"tasks\"",
                "\"training_dataset\": \"" + clean + "\", \"tasks\"")), 400, "training_dataset");
        assertProblem(api.postJson(JOBS, continualJob("pissa", task(clean))), 422, "method.type");
        assertProblem(api.postJson(JOBS, "{\"base_model\": \"" + BASE_MODEL + "\", \"training_dataset\": \"" + clean
                + "\", \"evaluation_splits\": [{\"dataset\": \"" + clean + "\", \"kind\": \"id\"}],"
                + " \"method\": {\"type\": \"gorp\"}}"), 422, "method.type");
        assertProblem(api.postJson(JOBS, continualJob("gorp", named(clean, "a"), named(rotated, "a"))), 422, "tasks[1].name");
        assertProblem(api.postJson(JOBS, continualJob("gorp", task(clean), task(letters))), 422,
                "tasks[1].training_dataset");
        assertProblem(api.postJson(JOBS, continualJob("gorp", task(clean), task(UUID.randomUUID().toString()))), 422,
                "tasks[1].training_dataset");
        assertProblem(api.postJson(JOBS, continualJob("lora", task(clean)).replace("\"type\": \"lora\"",
                "\"type\": \"lora\", \"gorp\": {\"rank\": 4}")), 422, "method.gorp");
        assertProblem(api.postJson(JOBS, continualJob("lora", task(clean)).replace("\"type\": \"lora\"",
                "\"type\": \"lora\", \"lora\": {\"r\": 4}")), 422, "method.lora");
        assertProblem(api.postJson(JOBS, continualJob("gorp", task(clean)).replace("\"type\": \"gorp\"",
                "\"type\": \"gorp\", \"gorp\": {\"lora_targets\": [\"query\"], \"full_rank_targets\": [\"query\"]}")), 422,
                "method.gorp.full_rank_targets");
        assertProblem(api.sendingInvalidRequests().postJson(JOBS, continualJob("gorp", task(clean))
                .replace("\"type\": \"gorp\"", "\"type\": \"gorp\", \"gorp\": {\"energy_threshold\": 1.5}")), 400,
                "method.gorp.energy_threshold");
        assertThat(count("jobs")).isZero();
        assertThat(count("job_tasks")).isZero();
        assertThat(count("datasets")).isEqualTo(before);
    }

    @Test
    void continueAddsATaskToASucceededJobAndKeepsTheEarlierResults() {
        String job = api.postJson(JOBS, continualJob("gorp", task(clean), task(rotated))).json().get("id").asString();
        UUID id = UUID.fromString(job);

        // Not finished yet: nothing to extend.
        Exchange early = api.postJson(JOBS + "/" + job + "/continue", continueWith(inverted));
        assertThat(early.status()).as(early.toString()).isEqualTo(409);
        assertThat(early.json().get("type").asString()).isEqualTo("urn:largo:problem:job-not-succeeded");

        // What the worker leaves after two tasks: the matrix, AA/BWT per task, per-split rows.
        ContinualResults.record(jdbc, id, new double[][] {{0.90, 0.40}, {0.80, 0.85}});
        JsonNode matrix = api.get(JOBS + "/" + job + "/evaluations").json().get("continual");
        assertThat(matrix.get("tasks").toString()).isEqualTo("[\"task-1\",\"task-2\"]");
        assertThat(matrix.get("accuracy").toString()).isEqualTo("[[0.9,0.4],[0.8,0.85]]");
        assertThat(matrix.get("average_accuracy").get(1).asDouble()).isCloseTo(0.825, within(1e-12));
        assertThat(matrix.get("backward_transfer").get(0).isNull()).isTrue();
        assertThat(matrix.get("backward_transfer").get(1).asDouble()).isCloseTo(-0.10, within(1e-12));
        JsonNode list = api.get(JOBS + "/" + job + "/evaluations").json();
        // the summary is the model's after the latest task: task-1's clean split at 0.80, task-2's at 0.85
        assertThat(list.get("summary").get("id_accuracy").asDouble()).isCloseTo(0.80, within(1e-12));
        assertThat(list.get("summary").get("ood_mean_accuracy").asDouble()).isCloseTo(0.85, within(1e-12));
        assertThat(list.get("data").get(0).get("task").asInt()).isZero();
        assertThat(list.get("data").get(0).get("after_task").asInt()).isZero();

        Exchange extended = api.postJson(JOBS + "/" + job + "/continue", continueWith(inverted),
                Map.of("Idempotency-Key", "extend-1"));
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        JsonNode after = extended.json();
        assertThat(after.get("status").asString()).isEqualTo("queued");
        assertThat(after.get("progress").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(after.get("finished_at").isNull()).isTrue();
        assertThat(after.get("tasks").valueStream().map(t -> t.get("status").asString()))
                .containsExactly("succeeded", "succeeded", "pending");
        assertThat(after.get("tasks").get(2).get("name").asString()).isEqualTo("task-3");
        assertThat(after.get("tasks").get(2).get("evaluation_splits").get(0).get("domain").asString()).isEqualTo("inverted");
        assertThat(after.get("tasks").get(1).get("average_accuracy").asDouble()).isCloseTo(0.825, within(1e-12));

        // a repeat with the same key replays; the earlier results are all still there, with a column for the new task
        Exchange replay = api.postJson(JOBS + "/" + job + "/continue", continueWith(inverted),
                Map.of("Idempotency-Key", "extend-1"));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(count("job_tasks")).isEqualTo(3);
        JsonNode kept = api.get(JOBS + "/" + job + "/evaluations").json();
        assertThat(kept.get("continual").get("accuracy").toString()).isEqualTo("[[0.9,0.4,null],[0.8,0.85,null]]");
        assertThat(kept.get("data").size()).isEqualTo(3);

        // a queued job cannot be extended again, a single-task job never
        assertThat(api.postJson(JOBS + "/" + job + "/continue", continueWith(clean)).status()).isEqualTo(409);
        String single = api.postJson(JOBS, "{\"base_model\": \"" + BASE_MODEL + "\", \"training_dataset\": \"" + clean
                + "\", \"evaluation_splits\": [{\"dataset\": \"" + clean + "\", \"kind\": \"id\"}],"
                + " \"method\": {\"type\": \"lora\"}}").json().get("id").asString();
        Exchange notContinual = api.postJson(JOBS + "/" + single + "/continue", continueWith(clean));
        assertThat(notContinual.status()).isEqualTo(409);
        assertThat(notContinual.json().get("type").asString()).isEqualTo("urn:largo:problem:job-not-continual");
        assertThat(api.postJson(JOBS + "/" + UUID.randomUUID() + "/continue", continueWith(clean)).status()).isEqualTo(404);
    }

    @Test
    void continueRefusesATaskThatDoesNotFit() {
        String job = api.postJson(JOBS, continualJob("lora", task(clean))).json().get("id").asString();
        ContinualResults.record(jdbc, UUID.fromString(job), new double[][] {{0.9}});
        assertProblem(api.postJson(JOBS + "/" + job + "/continue", continueWith(UUID.randomUUID().toString())), 422,
                "task.training_dataset");
        assertProblem(api.postJson(JOBS + "/" + job + "/continue",
                "{\"task\": {\"name\": \"task-1\", \"training_dataset\": \"" + rotated + "\", \"evaluation_splits\": [{\"dataset\": \""
                        + rotated + "\", \"kind\": \"ood\"}]}}"), 422, "task.name");
        assertThat(count("job_tasks")).isEqualTo(1);
        assertThat(api.get(JOBS + "/" + job).json().get("status").asString()).isEqualTo("succeeded");

        // joint training has no sequence to extend
        String joint = api.postJson(JOBS, continualJob("joint", task(clean), task(rotated))).json().get("id").asString();
        ContinualResults.record(jdbc, UUID.fromString(joint), new double[][] {{0.9, 0.8}, {0.9, 0.8}});
        Exchange refused = api.postJson(JOBS + "/" + joint + "/continue", continueWith(inverted));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:largo:problem:job-not-extensible");
    }

    @Test
    void aDatasetOfAnUnfinishedContinualJobCannotBeDeleted() {
        String job = api.postJson(JOBS, continualJob("gorp", task(clean), task(rotated))).json().get("id").asString();
        Exchange refused = api.delete("/v1/datasets/" + rotated);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains(job);

        api.postJson(JOBS + "/" + job + "/cancel", "");
        Exchange referenced = api.delete("/v1/datasets/" + rotated);
        assertThat(referenced.status()).isEqualTo(409);
        assertThat(referenced.json().get("type").asString()).isEqualTo("urn:largo:problem:dataset-referenced");
        JsonNode cancelled = api.get("/v1/fine-tuning/jobs/" + job).json();
        assertThat(cancelled.get("tasks").valueStream().map(t -> t.get("status").asString())).containsOnly("cancelled");
    }

    private String continualJob(String method, String... tasks) {
        return "{\"base_model\": \"" + BASE_MODEL + "\", \"tasks\": [" + String.join(", ", tasks) + "],"
                + " \"method\": {\"type\": \"" + method + "\"}, \"hyperparameters\": {\"epochs\": 1}}";
    }

    /** A task training on {@code dataset} and evaluated on it. */
    private static String task(String dataset) {
        return "{\"training_dataset\": \"" + dataset + "\", \"evaluation_splits\": [{\"dataset\": \"" + dataset
                + "\", \"kind\": \"id\"}]}";
    }

    private static String named(String dataset, String name) {
        return task(dataset).replace("{\"training_dataset\"", "{\"name\": \"" + name + "\", \"training_dataset\"");
    }

    private static String continueWith(String dataset) {
        return "{\"task\": " + task(dataset) + "}";
    }

    private static void assertProblem(Exchange exchange, int status, String param) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(status);
        assertThat(exchange.json().get("errors").valueStream().map(e -> e.get("param").asString()))
                .as(exchange.toString()).contains(param);
    }
}
