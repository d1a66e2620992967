package dev.largo.worker.engine.data;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.support.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A model's own Hugging Face tokenizer ({@code tokenizer.json}) run by the Rust {@code tokenizers} library
 * through DJL, whose jar carries the native library (nothing is downloaded). Adds the model's special tokens
 * ({@code [CLS] ... [SEP]} for BERT) and truncates to the maximum sequence length; it never pads: batches are
 * padded to their own longest row by {@link TokenBatch}.
 */
public final class TextTokenizer implements AutoCloseable {

    /** The {@code max_seq_length} hyperparameter's default. */
    public static final int DEFAULT_MAX_SEQ_LENGTH = 128;
    /** A larger tokenizer.json is no tokenizer (multilingual ones are about 17 MB). */
    public static final long MAX_FILE_BYTES = 64L << 20;
    /** Texts handed to the native library per call: enough to use its threads, bounded in memory. */
    private static final int ENCODE_CHUNK = 512;

    /** Token ids and token type ids per text, unpadded. */
    public record Tokens(long[][] ids, long[][] typeIds) {
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final long largestTokenId;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long largestTokenId) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.largestTokenId = largestTokenId;
    }

    /**
     * @param tokenizerJson the model's {@code tokenizer.json}
     * @param tokenizerConfigJson its {@code tokenizer_config.json}, or null; its {@code model_max_length}, when
     *     set, lowers the maximum length
     * @param maxSeqLength the job's {@code max_seq_length} (already capped by the model's positions)
     * @throws InvalidModelException (param {@code tokenizer} or {@code tokenizer_config}) when a file is not a
     *     usable tokenizer
     */
    public static TextTokenizer load(Path tokenizerJson, Path tokenizerConfigJson, int maxSeqLength) throws IOException {
        return fromBytes(readBounded(tokenizerJson, "tokenizer"),
                tokenizerConfigJson == null ? null : readBounded(tokenizerConfigJson, "tokenizer_config"), maxSeqLength);
    }

    /** As {@link #load}, from the files' bytes. */
    public static TextTokenizer fromBytes(byte[] tokenizerJson, byte[] tokenizerConfigJson, int maxSeqLength) {
        if (maxSeqLength < 2) {
            throw new IllegalArgumentException("max_seq_length must be at least 2 (room for [CLS] and [SEP]), found "
                    + maxSeqLength);
        }
        JsonNode root = parseObject(tokenizerJson, "tokenizer", "tokenizer.json");
        long largest = TokenizerVocabulary.largestId(root);
        int maxLength = maxSeqLength;
        if (tokenizerConfigJson != null) {
            JsonNode config = parseObject(tokenizerConfigJson, "tokenizer_config", "tokenizer_config.json");
            JsonNode modelMax = config.get("model_max_length");
            // transformers writes 1e30 for "no limit"; only a real bound lowers ours
            if (modelMax != null && modelMax.isNumber() && modelMax.doubleValue() >= 2 && modelMax.doubleValue() < maxLength) {
                maxLength = (int) modelMax.doubleValue();
            }
        }
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "true", "padding", "false",
                "maxLength", Integer.toString(maxLength));
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), options);
            return new TextTokenizer(tokenizer, maxLength, largest);
        } catch (IOException | RuntimeException e) {
            throw new InvalidModelException("tokenizer", "tokenizer.json cannot be loaded by the tokenizers library: "
                    + e.getMessage());
        }
    }

    /**
     * Tokenizes {@code texts} in order: each row starts and ends with the model's special tokens and has at most
     * {@link #maxLength()} tokens.
     */
    public Tokens encode(List<String> texts) {
        long[][] ids = new long[texts.size()][];
        long[][] typeIds = new long[texts.size()][];
        for (int start = 0; start < texts.size(); start += ENCODE_CHUNK) {
            List<String> chunk = texts.subList(start, Math.min(texts.size(), start + ENCODE_CHUNK));
            Encoding[] encodings = tokenizer.batchEncode(chunk);
            for (int i = 0; i < encodings.length; i++) {
                ids[start + i] = encodings[i].getIds();
                typeIds[start + i] = encodings[i].getTypeIds();
                if (ids[start + i].length == 0) {
                    throw new IllegalArgumentException("text " + (start + i) + " gives no tokens with this tokenizer");
                }
            }
        }
        return new Tokens(ids, typeIds);
    }

    /** The most tokens of one row, special tokens included. */
    public int maxLength() {
        return maxLength;
    }

    /** The largest id the vocabulary (with added tokens) can produce: must be below the model's vocab size. */
    public long largestTokenId() {
        return largestTokenId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static byte[] readBounded(Path file, String param) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new InvalidModelException(param, file.getFileName() + " has " + size + " bytes, more than the "
                    + MAX_FILE_BYTES + " a tokenizer may have");
        }
        return Files.readAllBytes(file);
    }

    private static JsonNode parseObject(byte[] json, String param, String fileName) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new InvalidModelException(param, fileName + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelException(param, fileName + " must be a JSON object");
        }
        return root;
    }
}
