package dev.largo.service.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.service.testsupport.TextModelFiles;

/**
 * A Hugging Face BERT checkpoint uploads with its tokenizer, is described as a text model and downloads as the
 * folder it came as; a text model without its tokenizer, or with another model's, is refused naming the part,
 * and a refused upload leaves no row and no file.
 */
class TextModelUploadTest extends ServiceIntegrationTest {

    private static final String[] TABLES = {"base_models", "artifacts", "artifact_chunks"};
    private static final byte[] TOKENIZER_CONFIG = "{\"do_lower_case\": true, \"model_max_length\": 512}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aBertCheckpointWithItsTokenizerIsStoredDescribedAndDownloadedWhole() throws Exception {
        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        byte[] weights = TextModelFiles.weightsFor(config, 7);
        byte[] tokenizer = TextModelFiles.tokenizer();

        Exchange created = api.post("/v1/models", TextModelFiles.form(config, weights, tokenizer, TOKENIZER_CONFIG)
                .field("name", "tiny-bert").field("hub_id", "me/tiny-bert"), Map.of());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode model = created.json();
        assertThat(model.get("architecture").asString()).isEqualTo("bert");
        assertThat(model.get("task_type").asString()).isEqualTo("text_classification");
        assertThat(model.get("num_labels").asInt()).isEqualTo(2);
        assertThat(model.get("image_size").isNull()).isTrue();
        assertThat(model.get("license").isNull()).isTrue();
        // the embeddings (30522 + 64 + 2) x 8 dominate; every scalar of the file counts
        assertThat(model.get("parameter_count").asLong()).isGreaterThan((TextModelFiles.VOCAB + 66) * 8L);
        assertThat(model.get("size_bytes").asLong()).isEqualTo(weights.length);

        Exchange download = api.get("/v1/models/" + model.get("id").asString() + "/download");
        assertThat(download.status()).as(download.toString()).isEqualTo(200);
        Map<String, byte[]> entries = unzip(download.body());
        assertThat(entries.keySet()).containsExactly("config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json");
        assertThat(entries.get("model.safetensors")).isEqualTo(weights);
        assertThat(entries.get("tokenizer.json")).isEqualTo(tokenizer);
        assertThat(entries.get("tokenizer_config.json")).isEqualTo(TOKENIZER_CONFIG);
        // the row keeps config.json as jsonb: the same JSON, not the same bytes
        assertThat(JsonMapper.shared().readTree(entries.get("config.json"))).isEqualTo(JsonMapper.shared().readTree(config));
    }

    @Test
    void aTextModelWithoutItsTokenizerIsRefusedAndLeavesNothing() {
        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        Map<String, Long> before = rowCounts(TABLES);

        Exchange refused = api.post("/v1/models",
                TextModelFiles.form(config, TextModelFiles.weightsFor(config, 1), null, null), Map.of());

        assertRefused(refused, "tokenizer", "tokenizer.json");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    @Test
    void aTokenizerWhoseVocabularyDoesNotMatchTheEmbeddingsIsRefusedAndLeavesNothing() {
        String config = TextModelFiles.config(1000);
        Map<String, Long> before = rowCounts(TABLES);

        Exchange refused = api.post("/v1/models", TextModelFiles.form(config, TextModelFiles.weightsFor(config, 1),
                TextModelFiles.tokenizer(), null), Map.of());

        assertRefused(refused, "tokenizer", "vocab_size is 1000");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    @Test
    void aTokenizerBesideAnImageModelOrAConfigWithoutTokenizerIsRefused() {
        Map<String, Long> before = rowCounts(TABLES);
        Exchange vit = api.post("/v1/models", TextModelFiles.form(ModelFiles.TINY_VIT_CONFIG,
                ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG), TextModelFiles.tokenizer(), null), Map.of());
        assertRefused(vit, "tokenizer", "image model");

        String config = TextModelFiles.config(TextModelFiles.VOCAB);
        Exchange lone = api.post("/v1/models", TextModelFiles.form(config, TextModelFiles.weightsFor(config, 1), null,
                TOKENIZER_CONFIG), Map.of());
        assertRefused(lone, "tokenizer_config", "tokenizer.json");
        assertThat(rowCounts(TABLES)).isEqualTo(before);
    }

    private static void assertRefused(Exchange exchange, String param, String detail) {
        assertThat(exchange.status()).as(exchange.toString()).isEqualTo(422);
        assertThat(exchange.contentType()).startsWith("application/problem+json");
        assertThat(exchange.json().get("errors").get(0).get("param").asString()).as(exchange.toString()).isEqualTo(param);
        assertThat(exchange.json().get("detail").asString()).contains(detail);
    }

    static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
