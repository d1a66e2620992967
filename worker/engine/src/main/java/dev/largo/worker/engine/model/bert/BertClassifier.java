package dev.largo.worker.engine.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import dev.largo.worker.engine.data.TokenBatch;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.BaseClassifier;
import dev.largo.worker.engine.model.TextClassifier;
import dev.largo.worker.engine.support.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face {@code BertForSequenceClassification} semantics on raw NDArrays: word + absolute position +
 * token type embeddings then LayerNorm; post-norm layers {@code h = LN(x + dense(attn(x)))},
 * {@code LN(h + dense(gelu(dense(h))))} with attention scores scaled by 1/sqrt(head_dim) and padded keys masked
 * out; the pooler {@code tanh(dense(CLS))}; the classifier on the pooler's output. No dropout (fine-tuning
 * here runs without it). {@code DistilBertForSequenceClassification} is the same computation under other names
 * ({@link EncoderFamily}), without token types and with {@code relu(pre_classifier(CLS))} as the pooler. Build
 * it with {@link BertModels}.
 */
public final class BertClassifier extends BaseClassifier implements TextClassifier {

    /**
     * Every encoder linear (query, key, value, attention output, intermediate, output) and nothing else: unlike
     * PEFT's "dense", "output.dense" and "intermediate.dense" leave the pooler out, which is either pretrained and
     * frozen or newly initialised and trained whole.
     */
    public static final List<String> DEFAULT_LORA_TARGETS = EncoderFamily.BERT.defaultLoraTargets();

    private static final NDIndex CLS_TOKEN = new NDIndex(":, 0, :");

    private final EncoderConfig bert;
    private final EncoderFamily family;
    private final List<BertLayerNames> layers = new ArrayList<>();
    private final List<String> newModules;

    BertClassifier(EncoderConfig config, Map<String, NDArray> tensors, NDManager parent, List<String> newModules) {
        super(config, tensors, parent, linearPaths(config));
        this.bert = config;
        this.family = config.family();
        this.newModules = List.copyOf(newModules);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(family.layer(i));
        }
    }

    static List<String> linearPaths(EncoderConfig config) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            paths.addAll(config.family().layer(i).linears());
        }
        paths.add(config.family().pooler());
        paths.add(HEAD);
        return paths;
    }

    /**
     * Module paths the checkpoint lacked and that were newly initialised, as transformers does: the pooler
     * ({@code bert.pooler.dense}, DistilBERT's {@code pre_classifier}) of a bare or ONNX-exported encoder, the
     * classifier of any checkpoint that is not a sequence classifier. They train whole; a new pooler is exported
     * under {@code modules_to_save} ({@link #savedModules()}) next to the head.
     */
    public List<String> newModules() {
        return newModules;
    }

    /**
     * The {@code modules_to_save} entries besides the head (PEFT's suffix rule): {@code pooler.dense} or
     * {@code pre_classifier} when the pooler is new.
     */
    public List<String> savedModules() {
        return newModules.contains(family.pooler()) ? List.of(family.poolerModuleToSave()) : List.of();
    }

    /** Every encoder linear: the LoRA targets when a job names none. */
    public List<String> defaultLoraTargets() {
        return family.defaultLoraTargets();
    }

    /** The head and, when the checkpoint had none, the pooler: both have no pretrained values. */
    @Override
    public List<String> headTensors() {
        List<String> tensors = new ArrayList<>();
        if (newModules.contains(family.pooler())) {
            tensors.add(family.pooler() + ".weight");
            tensors.add(family.pooler() + ".bias");
        }
        tensors.add(HEAD + ".weight");
        tensors.add(HEAD + ".bias");
        return tensors;
    }

    public EncoderConfig encoderConfig() {
        return bert;
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        NDArray hidden = lastHiddenState(batch);
        NDArray first = linear(family.pooler()).apply(hidden.get(CLS_TOKEN));
        NDArray pooled = family.poolerActivation().equals("tanh") ? first.tanh() : Activations.apply("relu", first);
        return linear(HEAD).apply(pooled);
    }

    /**
     * The encoder's output, {@code BertModel}'s {@code last_hidden_state} (padded positions included, as there).
     *
     * @return [N, T, hidden_size]
     */
    public NDArray lastHiddenState(TokenBatch batch) {
        requireScope();
        long t = batch.length();
        if (t > bert.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("a batch of " + t + " positions exceeds max_position_embeddings "
                    + bert.maxPositionEmbeddings());
        }
        NDArray x = layerNorm(embeddings(batch), family.embedding("LayerNorm"));
        NDArray keyBias = keyBias(batch.attentionMask(), x.getDataType());
        for (BertLayerNames layer : layers) {
            x = layer(x, keyBias, layer);
        }
        return x;
    }

    private NDArray embeddings(TokenBatch batch) {
        NDArray ids = batch.inputIds();
        NDArray positions = ids.getManager().arange(0L, batch.length(), 1L, DataType.INT64);
        NDArray words = lookup(ids, "word_embeddings.weight");
        if (family.hasTokenTypes()) {
            words = words.add(lookup(batch.tokenTypeIds(), "token_type_embeddings.weight"));
        }
        return words.add(lookup(positions, "position_embeddings.weight"));
    }

    private NDArray lookup(NDArray ids, String table) {
        return Embedding.embedding(ids, plain(family.embedding(table)), SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * The additive attention mask [N, 1, 1, T]: 0 on real keys, the dtype's lowest finite value on padding, as
     * transformers builds it, so a padded key gets exactly zero weight after the softmax.
     */
    private static NDArray keyBias(NDArray mask, DataType dtype) {
        double lowest = dtype == DataType.FLOAT64 ? -Double.MAX_VALUE : -Float.MAX_VALUE;
        NDArray padding = mask.toType(dtype, false).neg().add(1);
        Shape shape = mask.getShape();
        return Arrays.multiply(padding, lowest).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    private NDArray layer(NDArray x, NDArray keyBias, BertLayerNames n) {
        NDArray attended = linear(n.attentionOutput()).apply(attention(x, keyBias, n));
        NDArray h = layerNorm(x.add(attended), n.attentionNorm());
        NDArray inner = Activations.apply(bert.hiddenAct(), linear(n.intermediate()).apply(h));
        return layerNorm(h.add(linear(n.output()).apply(inner)), n.outputNorm());
    }

    private NDArray attention(NDArray x, NDArray keyBias, BertLayerNames n) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long t = shape.get(1);
        long heads = bert.numAttentionHeads();
        long dh = bert.headDim();
        NDArray q = heads(linear(n.query()).apply(x), batch, t, heads, dh);
        NDArray k = heads(linear(n.key()).apply(x), batch, t, heads, dh);
        NDArray v = heads(linear(n.value()).apply(x), batch, t, heads, dh);
        NDArray scores = Arrays.divide(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dh)).add(keyBias);
        NDArray context = scores.softmax(-1).matMul(v);
        return context.transpose(0, 2, 1, 3).reshape(batch, t, heads * dh);
    }

    /** [N, T, H*dh] -> [N, H, T, dh] */
    private static NDArray heads(NDArray x, long n, long t, long heads, long dh) {
        return x.reshape(n, t, heads, dh).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, String module) {
        NDArray w = plain(module + ".weight");
        return LayerNorm.layerNorm(x, new Shape(w.getShape().get(0)), w, plain(module + ".bias"),
                (float) bert.layerNormEps()).singletonOrThrow();
    }
}
