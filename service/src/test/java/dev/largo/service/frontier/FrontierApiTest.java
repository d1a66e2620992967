package dev.largo.service.frontier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The frontier endpoints' refusals and queueing, without a worker (requests stay queued): every refusal is a
 * problem+json naming what is wrong, and a refused request leaves no row behind.
 */
class FrontierApiTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs/";

    private String job;

    @BeforeEach
    void job() {
        insertBuiltInModel(BASE_MODEL);
        String train = uploadImageDataset("clean", "clean");
        String ood = uploadImageDataset("rotated", "rotated");
        job = createdId(api.postJson("/v1/fine-tuning/jobs", "{\"base_model\": \"" + BASE_MODEL + "\","
                + " \"training_dataset\": \"" + train + "\", \"evaluation_splits\": [{\"dataset\": \"" + train
                + "\", \"kind\": \"id\"}, {\"dataset\": \"" + ood + "\", \"kind\": \"ood\"}], \"method\": {\"type\": \"lora\"}}"));
    }

    private void succeed() {
        UUID adapter = storeAdapter(UUID.fromString(job), BASE_MODEL, "local");
        jdbc.update("update jobs set status = 'succeeded', fine_tuned_adapter_id = ? where id = ?", adapter,
                UUID.fromString(job));
    }

    @Test
    void anUnfinishedJobHasNoFrontier() {
        Exchange refused = api.postJson(JOBS + job + "/frontier", "{}");
        assertProblem(refused, 409, "queued");
        assertProblem(api.get(JOBS + job + "/frontier/download?alpha=0.5"), 409, "succeeded");
        assertProblem(api.get(JOBS + job + "/frontier"), 404, "POST");
        assertThat(count("frontier_evaluations")).isZero();
    }

    @Test
    void aRequestIsQueuedWithItsGridAndASecondWaitsForIt() {
        succeed();
        Exchange queued = api.postJson(JOBS + job + "/frontier", "{\"points\": 5, \"tolerance\": 0.02}",
                Map.of("Idempotency-Key", "f1"));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.json().get("status").asString()).isEqualTo("queued");
        assertThat(queued.json().get("alphas").toString()).isEqualTo("[0.0,0.25,0.5,0.75,1.0]");
        assertThat(queued.json().get("points_total").asInt()).isEqualTo(5);
        assertThat(queued.json().get("points_done").asInt()).isZero();
        assertThat(queued.json().get("tolerance").asDouble()).isEqualTo(0.02);
        assertThat(queued.json().get("recommended_alpha").isNull()).isTrue();

        Exchange replayed = api.postJson(JOBS + job + "/frontier", "{\"points\": 5, \"tolerance\": 0.02}",
                Map.of("Idempotency-Key", "f1"));
        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertProblem(api.postJson(JOBS + job + "/frontier", "{\"alphas\": [0, 1]}"), 409, "still queued or running");
        assertThat(count("frontier_evaluations")).isEqualTo(1);

        Exchange read = api.get(JOBS + job + "/frontier?tolerance=0.1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("tolerance").asDouble()).isEqualTo(0.1);

        // a finished one is replaced by a new request, with the new grid
        jdbc.update("update frontier_evaluations set status = 'failed', error_message = 'test'");
        Exchange again = api.postJson(JOBS + job + "/frontier", "{\"alphas\": [1, 0, 0.3]}");
        assertThat(again.status()).as(again.toString()).isEqualTo(202);
        assertThat(again.json().get("alphas").toString()).isEqualTo("[0.0,0.3,1.0]");
        assertThat(count("frontier_evaluations")).isEqualTo(1);
    }

    @Test
    void badGridsAndAlphasAreNamed() {
        succeed();
        assertBadParam(api.sendingInvalidRequests().postJson(JOBS + job + "/frontier", "{\"points\": 1}"), "points");
        assertBadParam(api.sendingInvalidRequests().postJson(JOBS + job + "/frontier", "{\"alphas\": [0, 1.5]}"),
                "alphas");
        assertBadParam(api.postJson(JOBS + job + "/frontier", "{\"alphas\": [0.5, 0.5]}"), "alphas");
        assertBadParam(api.sendingInvalidRequests().postJson(JOBS + job + "/frontier", "{\"tolerance\": 2}"),
                "tolerance");
        assertThat(count("frontier_evaluations")).isZero();
        assertBadParam(api.sendingInvalidRequests().get(JOBS + job + "/frontier/download?alpha=1.5"), "alpha");
        assertBadParam(api.sendingInvalidRequests().get(JOBS + job + "/frontier/download?alpha=abc"), "alpha");
        // a job stored without the interpolation's start (an older run) cannot be downloaded at an alpha
        assertProblem(api.get(JOBS + job + "/frontier/download?alpha=0.5"), 409, "starting point");
    }

    @Test
    void unknownJobsAndOtherTenantsJobsAreNotFound() {
        succeed();
        String unknown = UUID.randomUUID().toString();
        assertProblem(api.postJson(JOBS + unknown + "/frontier", "{}"), 404, unknown);
        assertProblem(api.get(JOBS + unknown + "/frontier"), 404, unknown);
        assertProblem(api.get(JOBS + unknown + "/frontier/download?alpha=0.5"), 404, unknown);
        TenantKey other = newTenant("other");
        var theirs = api.withBearer(other.token());
        assertProblem(theirs.postJson(JOBS + job + "/frontier", "{}"), 404, job);
        assertProblem(theirs.get(JOBS + job + "/frontier/download?alpha=0.5"), 404, job);
        assertThat(count("frontier_evaluations")).isZero();
        assertThat(api.postJson(JOBS + job + "/frontier", "{}").status()).isEqualTo(202);
        assertProblem(theirs.get(JOBS + job + "/frontier"), 404, job);
    }

    private static void assertProblem(Exchange exchange, int status, String detailPart) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(status);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.json().get("detail").asString()).contains(detailPart);
    }

    private static void assertBadParam(Exchange exchange, String param) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(400);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.text()).contains(param);
    }
}
