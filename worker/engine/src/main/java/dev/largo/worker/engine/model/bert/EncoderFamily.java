package dev.largo.worker.engine.model.bert;

import java.util.List;
import java.util.Set;

/**
 * The Hugging Face names of one member of the BERT family. The members share one computation (post-norm
 * encoder layers over word + position (+ token type) embeddings, a dense "pooler" on the first token, the
 * classifier) and differ in names, in token types and in the pooler's activation, so one forward pass serves
 * them all ({@link BertClassifier}).
 */
public enum EncoderFamily {

    /** {@code BertForSequenceClassification}: BERT, MiniLM. */
    BERT("bert", "BertForSequenceClassification", "bert.", "bert.pooler.dense", "tanh",
            List.of("query", "key", "value", "output.dense", "intermediate.dense"), "pooler.dense",
            Set.of("BertModel", "BertForSequenceClassification", "BertForMaskedLM", "BertForPreTraining",
                    "BertForNextSentencePrediction"),
            List.of("cls.")),
    /** {@code DistilBertForSequenceClassification}: no token types; its "pooler" is {@code pre_classifier} + ReLU. */
    DISTILBERT("distilbert", "DistilBertForSequenceClassification", "distilbert.", "pre_classifier", "relu",
            List.of("q_lin", "k_lin", "v_lin", "out_lin", "lin1", "lin2"), "pre_classifier",
            Set.of("DistilBertModel", "DistilBertForSequenceClassification", "DistilBertForMaskedLM"),
            List.of("vocab_transform.", "vocab_layer_norm.", "vocab_projector."));

    /** The classifier: a top-level module in every member. */
    public static final String HEAD = "classifier";

    private final String modelType;
    private final String architecture;
    private final String prefix;
    private final String pooler;
    private final String poolerActivation;
    private final List<String> defaultLoraTargets;
    private final String poolerModuleToSave;
    private final Set<String> checkpointClasses;
    private final List<String> droppedPrefixes;

    EncoderFamily(String modelType, String architecture, String prefix, String pooler, String poolerActivation,
                  List<String> defaultLoraTargets, String poolerModuleToSave, Set<String> checkpointClasses,
                  List<String> droppedPrefixes) {
        this.modelType = modelType;
        this.architecture = architecture;
        this.prefix = prefix;
        this.pooler = pooler;
        this.poolerActivation = poolerActivation;
        this.defaultLoraTargets = defaultLoraTargets;
        this.poolerModuleToSave = poolerModuleToSave;
        this.checkpointClasses = checkpointClasses;
        this.droppedPrefixes = droppedPrefixes;
    }

    /** config.json {@code model_type}. */
    public String modelType() {
        return modelType;
    }

    /** The class the engine builds, written into an exported config.json. */
    public String architecture() {
        return architecture;
    }

    /** The encoder's prefix in a {@code ...For...} checkpoint; a bare encoder checkpoint has none. */
    public String prefix() {
        return prefix;
    }

    /** Module path of the dense layer on the first token that feeds the classifier. */
    public String pooler() {
        return pooler;
    }

    String poolerActivation() {
        return poolerActivation;
    }

    /**
     * Every encoder linear and nothing else (PEFT's module-name suffixes): BERT's pooler is left out, being
     * either pretrained and frozen or new and trained whole.
     */
    public List<String> defaultLoraTargets() {
        return defaultLoraTargets;
    }

    /** The {@code modules_to_save} entry for a newly initialised pooler. */
    public String poolerModuleToSave() {
        return poolerModuleToSave;
    }

    /** The checkpoint classes ({@code architectures}) whose encoder the engine reads. */
    Set<String> checkpointClasses() {
        return checkpointClasses;
    }

    String embedding(String name) {
        return prefix + "embeddings." + name;
    }

    /** Token type embeddings exist only in BERT. */
    boolean hasTokenTypes() {
        return this == BERT;
    }

    /** Modules named without the prefix even in a prefixed checkpoint. */
    boolean isTopLevel(String tensorName) {
        return tensorName.startsWith(HEAD + ".") || (!pooler.startsWith(prefix) && tensorName.startsWith(pooler + "."));
    }

    /** Tensors transformers ignores when it builds a sequence classifier: pretraining heads, position_ids. */
    boolean isDropped(String tensorName) {
        return tensorName.equals("embeddings.position_ids") || tensorName.equals(prefix + "embeddings.position_ids")
                || droppedPrefixes.stream().anyMatch(tensorName::startsWith);
    }

    /** One encoder layer's module paths. */
    BertLayerNames layer(int index) {
        return switch (this) {
            case BERT -> {
                String p = prefix + "encoder.layer." + index + ".";
                yield new BertLayerNames(p + "attention.self.query", p + "attention.self.key", p + "attention.self.value",
                        p + "attention.output.dense", p + "attention.output.LayerNorm", p + "intermediate.dense",
                        p + "output.dense", p + "output.LayerNorm");
            }
            case DISTILBERT -> {
                String p = prefix + "transformer.layer." + index + ".";
                yield new BertLayerNames(p + "attention.q_lin", p + "attention.k_lin", p + "attention.v_lin",
                        p + "attention.out_lin", p + "sa_layer_norm", p + "ffn.lin1", p + "ffn.lin2",
                        p + "output_layer_norm");
            }
        };
    }
}
