package dev.largo.service.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import ai.djl.ndarray.types.Shape;

import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import dev.largo.worker.engine.model.bert.EncoderConfig;

/**
 * A small but complete Hugging Face BERT checkpoint as a user uploads one: config.json, random weights (seeded)
 * and the real all-MiniLM-L6-v2 {@code tokenizer.json} (BERT's uncased WordPiece vocabulary of 30,522 tokens, from
 * the langchain4j artifact on the class path), so only the embedding table is large (30,522 x 8).
 */
public final class TextModelFiles {

    /** Width 8, 2 heads, 2 layers, 64 positions, 2 labels; {@code %d} is the vocabulary size. */
    public static final String TINY_BERT_CONFIG = """
            {"model_type": "bert", "architectures": ["BertForSequenceClassification"], "vocab_size": %d,
             "hidden_size": 8, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 16,
             "hidden_act": "gelu", "max_position_embeddings": 64, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
             "pad_token_id": 0, "id2label": {"0": "negative", "1": "positive"}, "_name_or_path": "tiny-bert"}""";
    public static final int VOCAB = 30522;

    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private TextModelFiles() {
    }

    public static String config(int vocabSize) {
        return TINY_BERT_CONFIG.formatted(vocabSize);
    }

    /**
     * F32 weights for every tensor {@code configJson} implies: N(0, 0.02), LayerNorm weights 1 + N(0, 0.02), so a
     * forward pass is not trivial.
     */
    public static byte[] weightsFor(String configJson, long seed) {
        Random random = new Random(seed);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> tensor : EncoderConfig.parse(configJson).expectedTensors().entrySet()) {
            float[] values = new float[Math.toIntExact(tensor.getValue().size())];
            String lower = tensor.getKey().toLowerCase(Locale.ROOT);
            boolean normWeight = lower.contains("layernorm") && lower.endsWith(".weight");
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((normWeight ? 1 : 0) + random.nextGaussian() * 0.02);
            }
            tensors.put(tensor.getKey(), TensorData.ofFloats(values, tensor.getValue().getShape()));
        }
        try {
            Path file = Files.createTempFile("tiny-bert-", ".safetensors");
            try {
                SafeTensors.write(file, tensors, Map.of("format", "pt"));
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real BERT uncased WordPiece tokenizer.json (ids up to 30,521). */
    public static byte[] tokenizer() {
        try (InputStream in = TextModelFiles.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TOKENIZER_RESOURCE + " is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upload form of a text model: config, weights, tokenizer (when given), tokenizer_config (when given). */
    public static Multipart form(String configJson, byte[] weights, byte[] tokenizer, byte[] tokenizerConfig) {
        Multipart form = new Multipart()
                .file("config", "config.json", "application/json", configJson.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", weights);
        if (tokenizer != null) {
            form.file("tokenizer", "tokenizer.json", "application/json", tokenizer);
        }
        if (tokenizerConfig != null) {
            form.file("tokenizer_config", "tokenizer_config.json", "application/json", tokenizerConfig);
        }
        return form;
    }
}
