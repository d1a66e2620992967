package dev.largo.service.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/** Errors the web stack raises itself are problem+json too; upload limits are configurable. */
@TestPropertySource(properties = {
        "largo.uploads.max-size=20KB",
        "spring.servlet.multipart.max-file-size=20KB",
        "spring.servlet.multipart.max-request-size=40KB"})
class HttpErrorsTest extends ServiceIntegrationTest {

    @Test
    void uploadsOverTheLimitAre413AndLeaveNothing() {
        byte[] big = DatasetFiles.imageFolderZip(DIGITS, 40, 16, 1);
        assertThat(big.length).isGreaterThan(20 * 1024);

        Exchange raw = api.post("/v1/datasets?name=big&task_type=image_classification", big,
                "application/octet-stream", Map.of());
        assertThat(raw.status()).as(raw.toString()).isEqualTo(413);
        assertThat(raw.json().get("type").asString()).isEqualTo("urn:largo:problem:payload-too-large");

        Exchange multipart = api.post("/v1/datasets", new Multipart().field("name", "big")
                .field("task_type", "image_classification").file("file", "big.zip", "application/zip", big), Map.of());
        assertThat(multipart.status()).as(multipart.toString()).isEqualTo(413);
        assertThat(multipart.contentType()).startsWith("application/problem+json");

        assertThat(rowCounts("datasets", "artifacts")).containsOnly(Map.entry("datasets", 0L), Map.entry("artifacts", 0L));
    }

    @Test
    void unsupportedContentTypeIs415() {
        Exchange text = api.sendingInvalidRequests().post("/v1/fine-tuning/jobs", "{}".getBytes(), "text/plain", Map.of());
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.contentType()).startsWith("application/problem+json");
        assertThat(text.json().get("instance").asString()).isEqualTo("/v1/fine-tuning/jobs");
        assertThat(text.json().get("type").asString()).isEqualTo("urn:largo:problem:unsupported-media-type");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        // outside the contract, so sent without the contract check
        var http = java.net.http.HttpClient.newHttpClient();
        var unknown = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/nothing-here")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(unknown.body()).contains("urn:largo:problem:not-found");

        var put = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/v1/datasets"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.body()).contains("urn:largo:problem:method-not-allowed");
    }
}
