package dev.largo.service.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.service.testsupport.TextModelFiles;

/**
 * Bad text input gets a problem+json naming what is wrong (the row, the setting, the parameter) and leaves
 * nothing behind: no dataset or job row, no stored file. (A text model without its tokenizer, or with another
 * model's, is {@link TextModelUploadTest}'s.)
 */
class TextInputRefusalsTest extends ServiceIntegrationTest {

    private static final String[] TABLES = {"datasets", "jobs", "artifacts", "artifact_chunks"};
    private static final String UPLOAD = "/v1/datasets?name=reviews&task_type=text_classification";
    private static final String OCTET = "application/octet-stream";

    @Test
    void aRowWithAnEmptyTextIsRefusedNamingTheRow() {
        Map<String, Long> before = rowCounts(TABLES);
        Exchange refused = api.post(UPLOAD, utf8("{\"text\": \"works well\", \"label\": \"positive\"}\n"
                + "{\"text\": \"  \", \"label\": \"negative\"}\n"), OCTET, Map.of());
        assertInvalidDataset(refused, "row 2", "empty \"text\"");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    @Test
    void invalidUtf8IsRefusedNamingTheRow() {
        Map<String, Long> before = rowCounts(TABLES);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(utf8("{\"text\": \"fine\", \"label\": \"positive\"}\n{\"text\": \"caf"));
        file.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // a lead byte followed by no continuation byte
        file.writeBytes(utf8("\", \"label\": \"negative\"}\n"));
        Exchange refused = api.post(UPLOAD, file.toByteArray(), OCTET, Map.of());
        assertInvalidDataset(refused, "row 2", "not valid UTF-8");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    @Test
    void aRowOverTheTextSizeLimitIsRefusedNamingTheSetting() {
        Map<String, Long> before = rowCounts(TABLES);
        String huge = "a".repeat((1 << 20) + 16); // the default largo.limits.max-row-bytes is 1 MiB
        Exchange refused = api.post(UPLOAD, utf8("{\"text\": \"short\", \"label\": \"positive\"}\n{\"text\": \"" + huge
                + "\", \"label\": \"negative\"}\n"), OCTET, Map.of());
        assertInvalidDataset(refused, "row 2", "largo.limits.max-row-bytes is 1048576");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    @Test
    void anEvaluationLabelOutsideTheTrainingSetIsRefusedAtJobCreation() {
        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        String model = createdId(api.post("/v1/models", TextModelFiles.form(config, TextModelFiles.weightsFor(config, 3),
                TextModelFiles.tokenizer(), null), Map.of()));
        String train = createdId(api.post(UPLOAD, utf8("{\"text\": \"great\", \"label\": \"positive\"}\n"
                + "{\"text\": \"awful\", \"label\": \"negative\"}\n"), OCTET, Map.of()));
        String eval = createdId(api.post(UPLOAD, utf8("{\"text\": \"fine\", \"label\": \"positive\"}\n"
                + "{\"text\": \"so-so\", \"label\": \"neutral\"}\n"), OCTET, Map.of()));
        Map<String, Long> before = rowCounts(TABLES);

        Exchange refused = api.postJson("/v1/fine-tuning/jobs", """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id"}], "method": {"type": "lora"}}
                """.formatted(model, train, eval));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("param").asString())
                .isEqualTo("evaluation_splits[0].dataset");
        assertThat(refused.json().get("detail").asString()).contains("neutral");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    private static void assertInvalidDataset(Exchange exchange, String location, String detail) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.json().get("type").asString()).isEqualTo("urn:largo:problem:invalid-dataset");
        assertThat(exchange.json().get("errors").get(0).get("location").asString()).isEqualTo(location);
        assertThat(exchange.json().get("detail").asString()).contains(detail);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
