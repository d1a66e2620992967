package dev.largo.service.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

import dev.largo.service.builtins.BuiltinRegistration;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * What a new user finds for text without uploading anything: the real all-MiniLM-L6-v2 listed as a built-in BERT
 * with its source and licence, downloadable as a Hugging Face folder with its tokenizer and licence file, and
 * the sentiment-shift texts as shared sample datasets.
 */
class BuiltinTextAssetsTest extends ServiceIntegrationTest {

    static final String MINILM = "all-minilm-l6-v2";
    static final String AMAZON_TRAIN = "4f43af4f-c40c-31c7-b6e1-c8a0b6fedc8f";

    @Autowired
    private BuiltinRegistration builtins;

    @Test
    void theBuiltinMiniLmIsListedAsABertWithItsSourceAndLicenceAndDownloadsWhole() throws Exception {
        builtins.registerAll();
        builtins.registerTextModel();

        JsonNode listed = api.get("/v1/models?limit=100").json().get("data").valueStream()
                .filter(m -> m.get("id").asString().equals(MINILM)).findFirst().orElseThrow();
        assertThat(listed.get("builtin").asBoolean()).isTrue();
        assertThat(listed.get("architecture").asString()).isEqualTo("bert");
        assertThat(listed.get("task_type").asString()).isEqualTo("text_classification");
        assertThat(listed.get("hub_id").asString()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
        assertThat(listed.get("license").asString()).isEqualTo("Apache-2.0");
        assertThat(listed.get("image_size").isNull()).isTrue();
        // 22.7M parameters, as the model card says
        assertThat(listed.get("parameter_count").asLong()).isBetween(22_500_000L, 22_800_000L);

        Exchange download = api.get("/v1/models/" + MINILM + "/download");
        assertThat(download.status()).as(download.toString()).isEqualTo(200);
        Map<String, byte[]> entries = TextModelUploadTest.unzip(download.body());
        assertThat(entries.keySet()).containsExactly("config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "LICENSE-all-minilm-l6-v2.txt");
        assertThat(new String(entries.get("LICENSE-all-minilm-l6-v2.txt"), StandardCharsets.UTF_8))
                .contains("Apache License", "sentence-transformers/all-MiniLM-L6-v2", "langchain4j");
        assertThat(entries.get("model.safetensors").length).isEqualTo(listed.get("size_bytes").asLong());

        // registering again (a restart) changes nothing
        builtins.registerTextModel();
        assertThat(api.get("/v1/models/" + MINILM).json()).isEqualTo(listed);
    }

    @Test
    void theSentimentTextsAreSharedSampleDatasets() throws Exception {
        builtins.registerAll();

        JsonNode train = api.get("/v1/datasets/" + AMAZON_TRAIN).json();
        assertThat(train.get("name").asString()).isEqualTo("amazon-train");
        assertThat(train.get("task_type").asString()).isEqualTo("text_classification");
        assertThat(train.get("format").asString()).isEqualTo("jsonl");
        assertThat(train.get("example_count").asLong()).isEqualTo(3000);
        assertThat(train.get("domain").asString()).isEqualTo("amazon");
        assertThat(train.get("class_names").valueStream().map(JsonNode::asString)).containsExactly("negative", "positive");
        // its first rows, as stored; an image dataset has none to show
        JsonNode examples = api.get("/v1/datasets/" + AMAZON_TRAIN + "/examples?limit=3").json().get("data");
        assertThat(examples).hasSize(3);
        assertThat(examples.get(0).get("text").asString()).startsWith("Safe, quick, secure\nUsed this to keep my bed");
        assertThat(examples.get(0).get("label").asString()).isEqualTo("positive");
        assertThat(examples.get(0).get("truncated").asBoolean()).isFalse();
        assertThat(api.get("/v1/datasets/1fcd0e1c-efcc-3d6f-bb83-887bb5c4cefd/examples").status()).isEqualTo(409);
        JsonNode names = api.get("/v1/datasets?limit=100").json().get("data");
        assertThat(names.valueStream().map(d -> d.get("name").asString()))
                .contains("amazon-train", "amazon-val", "amazon-test", "yelp-test", "sst2-test");
    }
}
