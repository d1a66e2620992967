package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.data.TokenBatch;
import dev.largo.worker.engine.data.TokenizedDataset;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelSummary;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BERT model upload is checked whole before anything is kept: config, weights header and the tokenizer
 * (the real all-MiniLM-L6-v2 tokenizer.json), each fault an InvalidModelException naming the part.
 */
class BertUploadValidationTest {

    private static final String CONFIG = """
            {"model_type":"bert","architectures":["BertModel"],"vocab_size":%d,"hidden_size":4,
             "num_hidden_layers":1,"num_attention_heads":2,"intermediate_size":8,"max_position_embeddings":16}""";

    @TempDir
    Path dir;
    Path tokenizer;

    @BeforeEach
    void realTokenizer() throws Exception {
        tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in = AllMiniLmL6V2.open(AllMiniLmL6V2.TOKENIZER_RESOURCE)) {
            Files.copy(in, tokenizer);
        }
    }

    @Test
    void aCompleteBareCheckpointWithItsTokenizerPasses() throws Exception {
        ModelSummary summary = BertModelInspector.inspect(CONFIG.formatted(30522), weights(30522, "F32"), tokenizer,
                null, 1 << 20);
        assertThat(summary.architecture()).isEqualTo("BertForSequenceClassification");
        assertThat(summary.modelType()).isEqualTo("bert");
        assertThat(summary.numLabels()).isEqualTo(2);
    }

    @Test
    void aTextModelWithoutTokenizerIsRefused() throws Exception {
        Path weights = weights(30522, "F32");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), weights, null, null, 1 << 20),
                "tokenizer", "needs its tokenizer.json");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), weights, dir.resolve("absent.json"),
                null, 1 << 20), "tokenizer", "needs its tokenizer.json");
    }

    @Test
    void aTokenizerWhoseVocabularyExceedsTheEmbeddingsIsRefused() throws Exception {
        Path weights = weights(1000, "F32");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(1000), weights, tokenizer, null, 1 << 20),
                "tokenizer", "token ids up to 30521 but the model's vocab_size is 1000");
    }

    @Test
    void aTokenizerThatIsNotOneIsRefused() throws Exception {
        Path weights = weights(30522, "F32");
        Files.writeString(tokenizer, "{not json");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), weights, tokenizer, null, 1 << 20),
                "tokenizer", "tokenizer.json is not valid JSON");
        Files.writeString(tokenizer, "{\"model\":{\"type\":\"WordPiece\"}}");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), weights, tokenizer, null, 1 << 20),
                "tokenizer", "has no model.vocab");
        Files.writeString(tokenizer, "{\"model\":{\"type\":\"NoSuchModel\",\"vocab\":{\"a\":0}}}");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), weights, tokenizer, null, 1 << 20),
                "tokenizer", "cannot be loaded by the tokenizers library");
    }

    @Test
    void badConfigsAndWeightsAreRefusedNamingThePart() throws Exception {
        Path weights = weights(30522, "F32");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522).replace("\"bert\"", "\"roberta_x\""),
                weights, tokenizer, null, 1 << 20), "config", "model_type must be \"bert\"");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522).replace("}",
                ",\"position_embedding_type\":\"relative_key\"}"), weights, tokenizer, null, 1 << 20), "config",
                "position_embedding_type \"relative_key\" is not supported");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522).replace("\"BertModel\"", "\"GPT2Model\""),
                weights, tokenizer, null, 1 << 20), "config", "architectures must name one bert checkpoint class");
        Path ints = weights(30522, "I32");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), ints, tokenizer, null, 1 << 20),
                "weights", "expected a floating-point type");
        Path wrongWidth = weights(30000, "F32");
        assertRefused(() -> BertModelInspector.inspect(CONFIG.formatted(30522), wrongWidth, tokenizer, null, 1 << 20),
                "weights", "embeddings.word_embeddings.weight has shape [30000, 4], expected [30522, 4]");
    }

    @Test
    void theTokenizerTruncatesToTheSmallestOfJobModelAndTokenizerConfig() throws Exception {
        String longText = "word ".repeat(100);
        try (TextTokenizer job = TextTokenizer.load(tokenizer, null, 12)) {
            assertThat(job.encode(List.of(longText)).ids()[0]).hasSize(12);
        }
        Path tokenizerConfig = dir.resolve("tokenizer_config.json");
        Files.writeString(tokenizerConfig, "{\"model_max_length\": 6}");
        try (TextTokenizer capped = TextTokenizer.load(tokenizer, tokenizerConfig, 12)) {
            assertThat(capped.maxLength()).isEqualTo(6);
            long[] ids = capped.encode(List.of(longText)).ids()[0];
            assertThat(ids).hasSize(6).startsWith(101L).endsWith(102L);
        }
        Files.writeString(tokenizerConfig, "[1]");
        assertRefused(() -> TextTokenizer.load(tokenizer, tokenizerConfig, 12), "tokenizer_config", "must be a JSON object");
    }

    /** A dataset is tokenized once; its batches pad to their own longest row with an attention mask. */
    @Test
    void batchesArePaddedToTheirLongestRowWithAMask() throws Exception {
        TextDataset data = new TextDataset(List.of("good", "a rather good product indeed", "bad"), new int[] {1, 1, 0},
                List.of("negative", "positive"));
        try (TextTokenizer tok = TextTokenizer.load(tokenizer, null, 128); NDManager manager = NDManager.newBaseManager()) {
            TokenizedDataset tokens = TokenizedDataset.of(data, tok);
            TokenBatch batch = tokens.batch(new int[] {0, 2}, 0, manager);
            assertThat(batch.inputIds().getShape()).isEqualTo(new Shape(2, 3));
            TokenBatch wide = tokens.batch(new int[] {2, 1}, 0, manager);
            int longest = tokens.ids()[1].length;
            assertThat(wide.inputIds().getShape()).isEqualTo(new Shape(2, longest));
            long[] mask = wide.attentionMask().toLongArray();
            long[] ids = wide.inputIds().toLongArray();
            for (int p = 0; p < longest; p++) {
                assertThat(mask[p]).isEqualTo(p < 3 ? 1L : 0L);
                assertThat(mask[longest + p]).isEqualTo(1L);
                if (p >= 3) {
                    assertThat(ids[p]).isZero();
                }
            }
            assertThat(tokens.labels(new int[] {2, 1}, manager).toLongArray()).containsExactly(0L, 1L);
        }
    }

    @Test
    void anEvaluationLabelOutsideTheTrainingSetIsNamed() throws Exception {
        TextDataset eval = new TextDataset(List.of("fine", "meh", "great"), new int[] {1, 0, 2},
                List.of("neutral", "positive", "very positive"));
        assertThat(new TextDataset(List.of("ok", "fine"), new int[] {1, 0}, List.of("neutral", "positive"))
                .onClasses(List.of("negative", "neutral", "positive")).labels()).containsExactly(2, 1);
        assertThatThrownBy(() -> eval.onClasses(List.of("negative", "neutral", "positive")))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("example 3: label \"very positive\" is not a class of the training set");
    }

    private Path weights(int vocab, String dtype) throws Exception {
        BertConfig config = BertConfig.parse(CONFIG.formatted(vocab));
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : config.expectedTensors().entrySet()) {
            String name = entry.getKey();
            if (name.startsWith("bert.pooler") || name.startsWith("classifier")) {
                continue;
            }
            int count = Math.toIntExact(entry.getValue().size());
            long[] shape = entry.getValue().getShape();
            if (name.equals("bert.embeddings.word_embeddings.weight") && dtype.equals("I32")) {
                tensors.put(name.substring(5), TensorData.ofInts(new int[count], shape));
            } else {
                tensors.put(name.substring(5), TensorData.ofFloats(new float[count], shape));
            }
        }
        tensors.put("embeddings.position_ids", TensorData.ofLongs(new long[16], 1, 16));
        Path file = dir.resolve("model-" + vocab + "-" + dtype + ".safetensors");
        SafeTensors.write(file, tensors, Map.of());
        return file;
    }

    private static void assertRefused(ThrowingCallable call, String param, String message) {
        assertThatThrownBy(call).isInstanceOf(InvalidModelException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidModelException) e).param()).isEqualTo(param));
    }
}
