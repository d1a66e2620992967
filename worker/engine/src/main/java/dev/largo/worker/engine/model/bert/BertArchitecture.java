package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.data.TokenInputs;
import dev.largo.worker.engine.io.SafeTensorsHeader;
import dev.largo.worker.engine.model.Architecture;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A BERT-family sequence classifier ({@code BertForSequenceClassification}: BERT, MiniLM;
 * {@code DistilBertForSequenceClassification}): reads prefixed, bare and sentence-transformers checkpoints
 * ({@link BertCheckpoint}), initialises what they lack, targets every encoder linear with LoRA by default, and
 * feeds the model through its own {@code tokenizer.json}.
 */
public final class BertArchitecture implements Architecture {

    private final EncoderFamily family;

    public BertArchitecture(EncoderFamily family) {
        this.family = family;
    }

    @Override
    public String modelType() {
        return family.modelType();
    }

    @Override
    public ModelConfig parse(ObjectNode raw, ConfigFields fields) {
        return family == EncoderFamily.DISTILBERT ? DistilBertConfig.from(raw) : BertConfig.from(raw);
    }

    @Override
    public void verifyHeader(ModelConfig config, SafeTensorsHeader header) {
        BertModelInspector.verifyHeader((EncoderConfig) config, header);
    }

    @Override
    public Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent) {
        return BertModels.create((EncoderConfig) config, tensors, seed, parent);
    }

    @Override
    public List<String> defaultLoraTargets() {
        return family.defaultLoraTargets();
    }

    /** The folder's tokenizer, truncating to {@code max_seq_length} (capped by the model's positions). */
    @Override
    public ModelInputs inputs(ModelConfig config, InputSettings settings) throws IOException {
        EncoderConfig encoder = (EncoderConfig) config;
        Path folder = settings.modelDirectory();
        TextTokenizer tokenizer = BertModels.tokenizer(folder, encoder, settings.maxSeqLength());
        return new TokenInputs(tokenizer, encoder.padTokenId(), digest(folder));
    }

    /** SHA-256 of the tokenizer files, so a run's config hash changes when they do. */
    private static String digest(Path folder) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : List.of(BertModels.TOKENIZER, BertModels.TOKENIZER_CONFIG)) {
                Path file = folder.resolve(name);
                if (Files.isRegularFile(file)) {
                    digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
