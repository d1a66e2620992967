package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;

class FineTuningJobsApiTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";

    @org.springframework.beans.factory.annotation.Autowired
    dev.largo.db.queue.JobQueue queue;

    private String train;
    private String ood;

    @BeforeEach
    void fixtures() {
        insertBuiltInModel(BASE_MODEL);
        train = uploadImageDataset("digits-clean", "clean");
        ood = uploadImageDataset("digits-noisy", null);
    }

    @Test
    void createFillsEveryDefaultAndQueuesTheJob() {
        Exchange created = api.postJson(JOBS, minimalJob("largo"));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode job = created.json();
        assertThat(job.get("object").asString()).isEqualTo("fine_tuning.job");
        assertThat(job.get("status").asString()).isEqualTo("queued");
        assertThat(job.get("base_model").asString()).isEqualTo(BASE_MODEL);
        assertThat(job.get("training_dataset").asString()).isEqualTo(train);
        assertThat(job.get("progress").asDouble()).isZero();
        assertThat(job.get("attempts").asInt()).isZero();
        assertThat(job.get("cancel_requested").asBoolean()).isFalse();
        assertThat(job.get("finished_at").isNull()).isTrue();
        assertThat(job.has("error")).isFalse();
        assertThat(job.get("seed").asLong()).isZero();
        assertThat(job.get("metadata").size()).isZero();

        JsonNode lora = job.get("method").get("lora");
        assertThat(lora.get("r").asInt()).isEqualTo(8);
        assertThat(lora.get("alpha").asDouble()).isEqualTo(16.0);
        assertThat(lora.get("init").asString()).isEqualTo("svd_principal");
        assertThat(lora.get("target_modules").toString()).isEqualTo("[\"query\",\"key\",\"value\",\"dense\"]");
        JsonNode largo = job.get("method").get("largo");
        assertThat(largo.get("kappa").asDouble()).isEqualTo(1.0);
        assertThat(largo.get("mu").asDouble()).isEqualTo(1e-2);
        assertThat(largo.get("norm").asString()).isEqualTo("l1_row");
        assertThat(largo.get("gamma_init").asDouble()).isEqualTo(1e-8);
        JsonNode h = job.get("hyperparameters");
        assertThat(h.get("epochs").asInt()).isEqualTo(3);
        assertThat(h.get("batch_size").asInt()).isEqualTo(64);
        assertThat(h.get("learning_rate").asDouble()).isEqualTo(1e-3);
        assertThat(h.get("warmup_ratio").asDouble()).isEqualTo(0.1);
        assertThat(h.get("grad_clip").asDouble()).isEqualTo(1.0);
        // a split without a domain takes its dataset's domain tag, else the dataset's name
        assertThat(job.get("evaluation_splits").get(0).get("domain").asString()).isEqualTo("clean");
        assertThat(job.get("evaluation_splits").get(1).get("domain").asString()).isEqualTo("digits-noisy");

        assertThat(api.get(JOBS + "/" + job.get("id").asString()).json()).isEqualTo(job);
        assertThat(jdbc.queryForObject("select status from jobs", String.class)).isEqualTo("queued");
    }

    @Test
    void methodsGetTheirOwnDefaults() {
        JsonNode full = api.postJson(JOBS, minimalJob("full")).json();
        assertThat(full.get("hyperparameters").get("learning_rate").asDouble()).isEqualTo(1e-4);
        assertThat(full.get("method").has("lora")).isFalse();
        assertThat(full.get("method").has("largo")).isFalse();

        JsonNode ftp = api.postJson(JOBS, minimalJob("ftp")).json();
        assertThat(ftp.get("method").get("largo").get("norm").asString()).isEqualTo("l1_row");
        assertThat(ftp.get("method").has("lora")).isFalse();

        JsonNode lora = api.postJson(JOBS, minimalJob("lora")).json();
        assertThat(lora.get("method").get("lora").get("init").asString()).isEqualTo("gaussian");
        assertThat(lora.get("method").has("largo")).isFalse();

        JsonNode probe = api.postJson(JOBS, minimalJob("linear_probe")).json();
        assertThat(probe.get("hyperparameters").get("learning_rate").asDouble()).isEqualTo(1e-3);
    }

    @Test
    void listFiltersByStatusAndPagesByCursor() {
        String a = create();
        String b = create();
        String c = create();
        assertThat(api.postJson(JOBS + "/" + b + "/cancel", "").status()).isEqualTo(200);

        assertThat(ids(api.get(JOBS))).containsExactly(c, b, a);
        assertThat(ids(api.get(JOBS + "?status=queued"))).containsExactly(c, a);
        assertThat(ids(api.get(JOBS + "?status=cancelled"))).containsExactly(b);
        assertThat(ids(api.get(JOBS + "?status=running"))).isEmpty();

        Exchange page1 = api.get(JOBS + "?status=queued&limit=1");
        assertThat(ids(page1)).containsExactly(c);
        assertThat(page1.json().get("has_more").asBoolean()).isTrue();
        Exchange page2 = api.get(JOBS + "?status=queued&limit=1&after=" + page1.json().get("next_after").asString());
        assertThat(ids(page2)).containsExactly(a);
        assertThat(page2.json().get("has_more").asBoolean()).isFalse();

        Exchange unknownCursor = api.get(JOBS + "?after=00000000-0000-0000-0000-000000000000");
        assertThat(unknownCursor.status()).isEqualTo(400);
        assertThat(unknownCursor.json().get("errors").get(0).get("param").asString()).isEqualTo("after");
    }

    @Test
    void cancelStopsAQueuedJobAndIsIdempotent() {
        String id = create();

        Exchange cancelled = api.postJson(JOBS + "/" + id + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(cancelled.json().get("finished_at").isNull()).isFalse();

        Exchange again = api.postJson(JOBS + "/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asString()).isEqualTo("cancelled");

        jdbc.update("update jobs set status = 'succeeded' where id = ?::uuid", create());
        String succeeded = jdbc.queryForObject("select id::text from jobs where status = 'succeeded'", String.class);
        Exchange refused = api.postJson(JOBS + "/" + succeeded + "/cancel", "");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:largo:problem:job-finished");

        assertThat(api.postJson(JOBS + "/00000000-0000-0000-0000-000000000000/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void cancellingARunningJobAsksItsWorkerToStop() {
        String id = create();
        assertThat(queue.claim("worker-1")).isPresent();

        Exchange running = api.get(JOBS + "/" + id);
        assertThat(running.json().get("status").asString()).isEqualTo("running");
        assertThat(running.json().get("attempts").asInt()).isEqualTo(1);
        assertThat(running.json().get("started_at").isNull()).isFalse();

        Exchange cancel = api.postJson(JOBS + "/" + id + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("running");
        assertThat(cancel.json().get("cancel_requested").asBoolean()).isTrue();

        assertThat(queue.markCancelled(java.util.UUID.fromString(id), "worker-1")).isTrue();
        assertThat(api.get(JOBS + "/" + id).json().get("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void repeatedCreateWithTheSameIdempotencyKeyCreatesOnce() {
        Map<String, String> key = Map.of("Idempotency-Key", "job-7");
        Exchange first = api.postJson(JOBS, minimalJob("lora"), key);
        Exchange again = api.postJson(JOBS, minimalJob("lora"), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(count("jobs")).isEqualTo(1);

        Exchange different = api.postJson(JOBS, minimalJob("pissa"), key);
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().get("errors").get(0).get("param").asString()).isEqualTo("Idempotency-Key");
        assertThat(count("jobs")).isEqualTo(1);

        // cancel takes a key too; a repeat answers with the first response, not with the job as it is now
        String id = first.json().get("id").asString();
        Map<String, String> cancelKey = Map.of("Idempotency-Key", "cancel-7");
        Exchange cancelled = api.postJson(JOBS + "/" + id + "/cancel", "", cancelKey);
        assertThat(cancelled.status()).isEqualTo(200);
        Exchange cancelAgain = api.postJson(JOBS + "/" + id + "/cancel", "", cancelKey);
        assertThat(cancelAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(cancelAgain.json()).isEqualTo(cancelled.json());

        // the job has changed since it was created (cancelled): the create's repeat still answers as the first time
        assertThat(api.get(JOBS + "/" + id).json().get("status").asString()).isEqualTo("cancelled");
        Exchange createdAgain = api.postJson(JOBS, minimalJob("lora"), key);
        assertThat(createdAgain.status()).isEqualTo(201);
        assertThat(createdAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(createdAgain.json()).isEqualTo(first.json());
        assertThat(createdAgain.json().get("status").asString()).isEqualTo("queued");
    }

    @Test
    void aNumberSentAsAStringIsNamedPlainly() {
        Exchange refused = api.sendingInvalidRequests().postJson(JOBS,
                minimalJob("lora").replace("}}", "}, \"hyperparameters\": {\"epochs\": \"3\"}}"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("detail").asString())
                .isEqualTo("hyperparameters.epochs: \"3\" is a string; send it as a JSON number (integer), without quotes");
        assertThat(refused.json().get("errors").get(0).get("param").asString()).isEqualTo("hyperparameters.epochs");
        Exchange notANumber = api.sendingInvalidRequests().postJson(JOBS, minimalJob("lora").replace("}}",
                "}, \"hyperparameters\": {\"learning_rate\": \"fast\"}}"));
        assertThat(notANumber.json().get("detail").asString()).isEqualTo(
                "hyperparameters.learning_rate: \"fast\" is a string; send it as a JSON number, without quotes");
        assertThat(count("jobs")).isZero();
    }

    @Test
    void anEvaluationDatasetWithOtherClassNamesIsRefusedWithTheFix() {
        String numbered = api.post("/v1/datasets?name=numbered&task_type=image_classification",
                dev.largo.service.testsupport.DatasetFiles.imageFolderZip(List.of("0", "1"), 2, 8, 5),
                "application/octet-stream", Map.of()).json().get("id").asString();
        Exchange refused = api.postJson(JOBS, minimalJob("lora").replace(ood, numbered));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("param").asString()).isEqualTo("evaluation_splits[1].dataset");
        assertThat(refused.json().get("detail").asString()).contains("has labels the training dataset does not: 0, 1")
                .contains("must use the training dataset's class names (").contains(DIGITS)
                .contains("label folders");
    }

    @Test
    void concurrentRepeatsWithOneKeyCreateOneJob() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "raced");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Exchange>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sent.add(pool.submit(() -> api.postJson(JOBS, minimalJob("lora"), key)));
            }
            List<Exchange> answers = new java.util.ArrayList<>();
            for (var future : sent) {
                answers.add(future.get());
            }
            assertThat(answers).allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(201));
            assertThat(answers.stream().map(a -> a.json().get("id").asString()).distinct()).hasSize(1);
            assertThat(answers.stream().filter(a -> a.header("Idempotent-Replayed") == null)).hasSize(1);
            assertThat(count("jobs")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outOfRangeAndMalformedRequestsNameTheField() {
        var invalid = api.sendingInvalidRequests();
        assertBadParam(invalid.postJson(JOBS, minimalJob("largo").replace("}}", "}, \"hyperparameters\": {\"epochs\": 0}}")),
                "hyperparameters.epochs");
        assertBadParam(invalid.postJson(JOBS, minimalJob("lora").replace("\"lora\"}", "\"lora\", \"lora\": {\"r\": 300}}")),
                "method.lora.r");
        assertBadParam(invalid.postJson(JOBS, minimalJob("lora").replace("}}", "}, \"suffix\": \"Not_OK\"}")), "suffix");
        assertBadParam(invalid.postJson(JOBS, minimalJob("lora").replace("\"lora\"", "\"magic\"")), "method.type");
        assertBadParam(invalid.postJson(JOBS, minimalJob("lora").replace("}}", "}, \"learing_rate\": 0.1}")),
                "learing_rate");
        assertBadParam(invalid.postJson(JOBS, "{\"base_model\": \"" + BASE_MODEL + "\", \"training_dataset\": \"" + train
                + "\", \"method\": {\"type\": \"lora\"}}"), "evaluation_splits");
        assertBadParam(invalid.postJson(JOBS, minimalJob("lora").replace(train, "not-a-uuid")), "training_dataset");

        Exchange notJson = invalid.postJson(JOBS, "{\"base_model\": ");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("type").asString()).isEqualTo("urn:largo:problem:malformed-body");

        Exchange badLimit = invalid.get(JOBS + "?limit=1000");
        assertBadParam(badLimit, "limit");
        assertBadParam(invalid.get(JOBS + "?status=paused"), "status");
        assertBadParam(invalid.get(JOBS + "/not-a-uuid"), "job_id");
        assertThat(count("jobs")).isZero();
    }

    @Test
    void referencesThatDoNotFitAreRefusedNamingTheParameter() {
        String text = api.post("/v1/datasets?name=reviews&task_type=text_classification",
                DatasetFiles.jsonl(List.of("neg", "pos"), 4), "application/octet-stream", Map.of()).json().get("id").asString();
        String otherLabels = api.post("/v1/datasets?name=letters&task_type=image_classification",
                DatasetFiles.imageFolderZip(List.of("a", "b"), 2, 8, 9), "application/octet-stream", Map.of())
                .json().get("id").asString();

        assertInvalidParam(api.postJson(JOBS, minimalJob("lora").replace(BASE_MODEL, "no-such-model")), "base_model");
        assertInvalidParam(api.postJson(JOBS, minimalJob("lora").replace("\"training_dataset\": \"" + train,
                "\"training_dataset\": \"7d4f6a57-2a41-4f0e-9c55-5a6a4d1d1e2f")), "training_dataset");
        assertInvalidParam(api.postJson(JOBS, minimalJob("lora").replace("\"training_dataset\": \"" + train,
                "\"training_dataset\": \"" + text)), "training_dataset");
        assertInvalidParam(api.postJson(JOBS, minimalJob("lora").replace("\"dataset\": \"" + ood,
                "\"dataset\": \"" + otherLabels)), "evaluation_splits[1].dataset");
        assertInvalidParam(api.postJson(JOBS, minimalJob("lora").replace("\"dataset\": \"" + ood,
                "\"dataset\": \"" + train)), "evaluation_splits[1].dataset");
        assertInvalidParam(api.postJson(JOBS, minimalJob("full").replace("\"full\"}", "\"full\", \"lora\": {\"r\": 4}}")),
                "method.lora");
        assertInvalidParam(api.postJson(JOBS, minimalJob("pissa").replace("\"pissa\"}",
                "\"pissa\", \"lora\": {\"init\": \"gaussian\"}}")), "method.lora.init");
        assertThat(count("jobs")).isZero();
    }

    @Test
    void aDatasetCannotBeDeletedWhileAnUnfinishedJobUsesIt() {
        String id = create();

        Exchange refused = api.delete("/v1/datasets/" + ood);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:largo:problem:dataset-in-use");
        assertThat(refused.json().get("detail").asString()).contains(id);
        assertThat(api.delete("/v1/datasets/" + train).status()).isEqualTo(409);

        api.postJson(JOBS + "/" + id + "/cancel", "");
        assertThat(api.delete("/v1/datasets/" + ood).status()).isEqualTo(200);
        Exchange referenced = api.delete("/v1/datasets/" + train);
        assertThat(referenced.status()).isEqualTo(409);
        assertThat(referenced.json().get("type").asString()).isEqualTo("urn:largo:problem:dataset-referenced");
    }

    private String create() {
        Exchange created = api.postJson(JOBS, minimalJob("lora"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String minimalJob(String method) {
        return "{\"base_model\": \"" + BASE_MODEL + "\", \"training_dataset\": \"" + train + "\","
                + " \"evaluation_splits\": [{\"dataset\": \"" + train + "\", \"kind\": \"id\"},"
                + " {\"dataset\": \"" + ood + "\", \"kind\": \"ood\"}],"
                + " \"method\": {\"type\": \"" + method + "\"}}";
    }

    private static List<String> ids(Exchange page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json().get("data").valueStream().map(d -> d.get("id").asString()).toList();
    }

    private static void assertBadParam(Exchange exchange, String param) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(400);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.json().get("errors").valueStream().map(e -> e.get("param").asString()))
                .as(exchange.toString()).contains(param);
    }

    private static void assertInvalidParam(Exchange exchange, String param) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.json().get("errors").get(0).get("param").asString()).as(exchange.toString()).isEqualTo(param);
    }
}
