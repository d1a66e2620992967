package dev.largo.service.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;

class DatasetsApiTest extends ServiceIntegrationTest {

    private static final String OCTET = "application/octet-stream";

    @Test
    void rawUploadIsValidatedStoredAndDescribed() throws Exception {
        byte[] zip = DatasetFiles.imageFolderZip(DIGITS, 4, 8, 1);

        Exchange created = api.post("/v1/datasets?name=digits&task_type=image_classification&split=train"
                + "&domain=clean&filename=digits.zip", zip, OCTET, Map.of());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode dataset = created.json();
        assertThat(dataset.get("object").asString()).isEqualTo("dataset");
        assertThat(dataset.get("name").asString()).isEqualTo("digits");
        assertThat(dataset.get("format").asString()).isEqualTo("imagefolder_zip");
        assertThat(dataset.get("task_type").asString()).isEqualTo("image_classification");
        assertThat(dataset.get("split").asString()).isEqualTo("train");
        assertThat(dataset.get("domain").asString()).isEqualTo("clean");
        assertThat(dataset.get("example_count").asLong()).isEqualTo(12);
        assertThat(dataset.get("class_names").toString()).isEqualTo("[\"one\",\"two\",\"zero\"]");
        assertThat(dataset.get("label_counts").get("two").asLong()).isEqualTo(4);
        assertThat(dataset.get("image").get("height").asInt()).isEqualTo(8);
        assertThat(dataset.get("image").get("channels").asInt()).isEqualTo(1);
        assertThat(dataset.get("size_bytes").asLong()).isEqualTo(zip.length);
        assertThat(dataset.get("sha256").asString()).isEqualTo(sha256(zip));

        Exchange fetched = api.get("/v1/datasets/" + dataset.get("id").asString());
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json()).isEqualTo(dataset);
        assertThat(count("artifacts")).isEqualTo(1);
    }

    @Test
    void multipartUploadsSniffTheFormat() {
        byte[] tensors = DatasetFiles.safetensors(DIGITS, 9, 6, 2);
        Exchange created = api.post("/v1/datasets", new Multipart()
                .field("name", "digits-tensors").field("task_type", "image_classification").field("domain", "noisy")
                .file("file", "digits.safetensors", OCTET, tensors), Map.of());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("format").asString()).isEqualTo("safetensors");
        assertThat(created.json().get("example_count").asLong()).isEqualTo(9);
        assertThat(created.json().get("domain").asString()).isEqualTo("noisy");
        assertThat(created.json().get("split").isNull()).isTrue();

        Exchange text = api.post("/v1/datasets", new Multipart()
                .field("name", "reviews").field("task_type", "text_classification").field("format", "jsonl")
                .file("file", "reviews.jsonl", "application/x-ndjson", DatasetFiles.jsonl(List.of("neg", "pos"), 6)),
                Map.of());
        assertThat(text.status()).as(text.toString()).isEqualTo(201);
        assertThat(text.json().get("format").asString()).isEqualTo("jsonl");
        assertThat(text.json().has("image")).isFalse();
        assertThat(text.json().get("label_counts").get("pos").asLong()).isEqualTo(3);
    }

    @Test
    void listIsNewestFirstAndPagesByCursor() {
        String first = uploadZip("first");
        String second = uploadZip("second");
        String third = uploadZip("third");

        Exchange page1 = api.get("/v1/datasets?limit=2");
        assertThat(page1.status()).isEqualTo(200);
        assertThat(ids(page1)).containsExactly(third, second);
        assertThat(page1.json().get("has_more").asBoolean()).isTrue();
        assertThat(page1.json().get("next_after").asString()).isEqualTo(second);

        Exchange page2 = api.get("/v1/datasets?limit=2&after=" + second);
        assertThat(ids(page2)).containsExactly(first);
        assertThat(page2.json().get("has_more").asBoolean()).isFalse();
        assertThat(page2.json().get("next_after").isNull()).isTrue();

        assertThat(ids(api.get("/v1/datasets"))).containsExactly(third, second, first);
    }

    @Test
    void deleteRemovesRowAndFile() {
        String id = uploadZip("doomed");
        assertThat(count("artifact_chunks")).isPositive();

        Exchange deleted = api.delete("/v1/datasets/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
        assertThat(rowCounts("datasets", "artifacts", "artifact_chunks"))
                .containsOnly(Map.entry("datasets", 0L), Map.entry("artifacts", 0L), Map.entry("artifact_chunks", 0L));
        assertThat(api.get("/v1/datasets/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/v1/datasets/" + id).status()).isEqualTo(404);
    }

    @Test
    void malformedUploadsAreRefusedNamingTheProblemAndLeaveNothing() {
        uploadZip("kept");
        Map<String, Long> before = rowCounts("datasets", "artifacts", "artifact_chunks");

        Exchange truncatedZip = api.post("/v1/datasets?name=bad&task_type=image_classification&filename=cut.zip",
                DatasetFiles.truncated(DatasetFiles.imageFolderZip(DIGITS, 20, 8, 3)), OCTET, Map.of());
        assertUnprocessable(truncatedZip, "invalid-dataset");

        byte[] badHeader = DatasetFiles.safetensors(DIGITS, 4, 4, 4);
        badHeader[8] = 'x'; // the JSON header no longer parses
        Exchange badSafetensors = api.post("/v1/datasets?name=bad&task_type=image_classification&format=safetensors",
                badHeader, OCTET, Map.of());
        assertUnprocessable(badSafetensors, "invalid-dataset");

        byte[] missingLabel = "{\"text\": \"fine\", \"label\": \"pos\"}\n{\"text\": \"no label here\"}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Exchange jsonl = api.post("/v1/datasets?name=bad&task_type=text_classification", missingLabel, OCTET, Map.of());
        assertUnprocessable(jsonl, "invalid-dataset");
        assertThat(jsonl.json().get("errors").get(0).get("location").asString()).contains("2");
        assertThat(jsonl.json().get("detail").asString()).contains("label");

        Exchange wrongTask = api.post("/v1/datasets?name=bad&task_type=text_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 5), OCTET, Map.of());
        assertUnprocessable(wrongTask, "invalid-request");
        assertThat(wrongTask.json().get("errors").get(0).get("param").asString()).isEqualTo("task_type");

        assertThat(rowCounts("datasets", "artifacts", "artifact_chunks")).isEqualTo(before);
    }

    @Test
    void missingMetadataIsABadRequestNamingTheParameter() {
        Exchange noName = api.sendingInvalidRequests().post("/v1/datasets?task_type=image_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 6), OCTET, Map.of());
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().get("errors").get(0).get("param").asString()).isEqualTo("name");

        Exchange noFile = api.sendingInvalidRequests().post("/v1/datasets",
                new Multipart().field("name", "x").field("task_type", "image_classification"), Map.of());
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.json().get("errors").get(0).get("param").asString()).isEqualTo("file");

        Exchange badTask = api.sendingInvalidRequests().post("/v1/datasets?name=x&task_type=audio",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, 6), OCTET, Map.of());
        assertThat(badTask.status()).isEqualTo(400);
        assertThat(badTask.json().get("errors").get(0).get("param").asString()).isEqualTo("task_type");
        assertThat(count("datasets")).isZero();
    }

    @Test
    void repeatedUploadWithTheSameIdempotencyKeyStoresOnce() {
        byte[] zip = DatasetFiles.imageFolderZip(DIGITS, 3, 8, 7);
        Map<String, String> key = Map.of("Idempotency-Key", "upload-42");
        String url = "/v1/datasets?name=once&task_type=image_classification";

        Exchange first = api.post(url, zip, OCTET, key);
        Exchange again = api.post(url, zip, OCTET, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(rowCounts("datasets", "artifacts")).containsOnly(Map.entry("datasets", 1L), Map.entry("artifacts", 1L));

        Exchange otherFile = api.post(url, DatasetFiles.imageFolderZip(DIGITS, 3, 8, 8), OCTET, key);
        assertUnprocessable(otherFile, "idempotency-key-reused");
        assertThat(count("datasets")).isEqualTo(1);
    }

    private String uploadZip(String name) {
        Exchange created = api.post("/v1/datasets?name=" + name + "&task_type=image_classification",
                DatasetFiles.imageFolderZip(DIGITS, 2, 8, name.hashCode()), OCTET, Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static List<String> ids(Exchange page) {
        return page.json().get("data").valueStream().map(d -> d.get("id").asString()).toList();
    }

    static void assertUnprocessable(Exchange exchange, String problemType) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.json().get("type").asString()).isEqualTo("urn:largo:problem:" + problemType);
        assertThat(exchange.json().get("errors").size()).as(exchange.toString()).isPositive();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
