package dev.largo.worker.engine.data;

import dev.largo.worker.engine.model.InvalidModelException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What ids a {@code tokenizer.json} can produce, read from its JSON: the model's vocabulary ({@code model.vocab},
 * an object token to id for WordPiece, BPE and WordLevel, a list of [token, score] for Unigram) and the added
 * tokens. A model whose embedding table is smaller than that would index past it, so an upload pairing them is
 * refused before any training.
 */
final class TokenizerVocabulary {

    private TokenizerVocabulary() {
    }

    /** The largest token id, checked to be a non-negative integer. */
    static long largestId(JsonNode root) {
        JsonNode model = root.get("model");
        JsonNode vocab = model == null ? null : model.get("vocab");
        if (vocab == null || !(vocab.isObject() || vocab.isArray()) || vocab.isEmpty()) {
            throw invalid("model.vocab", "tokenizer.json has no model.vocab (a tokenizer.json written by Hugging Face"
                    + " tokenizers has one)");
        }
        long largest = -1;
        if (vocab.isArray()) {
            largest = vocab.size() - 1;
        } else {
            for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
                largest = Math.max(largest, id(entry.getValue(), "model.vocab \"" + entry.getKey() + "\""));
            }
        }
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode token : added) {
                largest = Math.max(largest, id(token.get("id"), "added_tokens"));
            }
        }
        return largest;
    }

    private static long id(JsonNode node, String where) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw invalid(where, "tokenizer.json: " + where + " has id " + node + ", expected a non-negative integer");
        }
        return node.longValue();
    }

    private static InvalidModelException invalid(String location, String message) {
        return new InvalidModelException("tokenizer", location, message);
    }
}
