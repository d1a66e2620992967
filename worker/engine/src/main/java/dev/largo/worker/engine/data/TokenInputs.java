package dev.largo.worker.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.TextClassifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A text model's input preparation: each {@link TextDataset} is tokenized once, the first time a row of it is
 * asked for (so once per job, not once per epoch or evaluation), and each batch is padded to its own longest row
 * with the model's pad id and an attention mask ({@link TokenBatch}).
 */
public final class TokenInputs implements ModelInputs {

    private final TextTokenizer tokenizer;
    private final long padId;
    private final String tokenizerDigest;
    private final Map<TextDataset, TokenizedDataset> tokenized = Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * @param tokenizer the model's tokenizer (its maximum length is the job's {@code max_seq_length}); these inputs
     *     own it and close it in {@link #close()}
     * @param padId the model's {@code pad_token_id}
     * @param tokenizerDigest identifies the tokenizer's files (a run's config hash covers them)
     */
    public TokenInputs(TextTokenizer tokenizer, long padId, String tokenizerDigest) {
        this.tokenizer = tokenizer;
        this.padId = padId;
        this.tokenizerDigest = tokenizerDigest;
    }

    @Override
    public NDArray logits(Classifier model, LabelledData data, int[] rows, NDManager manager) {
        if (!(model instanceof TextClassifier text)) {
            throw new IllegalArgumentException("text inputs need a text model, got a " + model.config().modelType()
                    + " model");
        }
        return text.logits(tokens(data).batch(rows, padId, manager));
    }

    /** The dataset's token ids, tokenized on first use. */
    public TokenizedDataset tokens(LabelledData data) {
        if (!(data instanceof TextDataset texts)) {
            throw new IllegalArgumentException("a text model needs text data, got "
                    + data.getClass().getSimpleName());
        }
        return tokenized.computeIfAbsent(texts, t -> TokenizedDataset.of(t, tokenizer));
    }

    @Override
    public LabelledData concat(List<LabelledData> parts) {
        return TextDataset.concat(parts.stream().map(part -> (TextDataset) part).toList());
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String fingerprint() {
        return "tokenizer:" + tokenizerDigest + ":max_length=" + tokenizer.maxLength() + ":pad=" + padId;
    }
}
