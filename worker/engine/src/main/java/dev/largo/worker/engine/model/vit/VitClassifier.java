package dev.largo.worker.engine.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import dev.largo.worker.engine.model.Activations;
import dev.largo.worker.engine.model.BaseClassifier;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.support.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face {@code ViTForImageClassification} semantics on raw NDArrays: conv patch embedding, CLS token,
 * learned position embeddings, pre-norm blocks {@code x + attn(LN(x))}, {@code x + out(gelu(inter(LN(x))))},
 * attention scores scaled by 1/sqrt(head_dim), final layernorm, classifier on the CLS token.
 * No dropout (fine-tuning here runs without it).
 */
public final class VitClassifier extends BaseClassifier implements ImageClassifier {

    private static final NDIndex CLS_TOKEN = new NDIndex(":, 0, :");

    private final VitConfig vit;
    private final List<BlockNames> blocks = new ArrayList<>();

    /** Names of one encoder block's tensors and modules, resolved once. */
    private record BlockNames(String lnBeforeW, String lnBeforeB, String query, String key, String value,
                              String attnOut, String lnAfterW, String lnAfterB, String intermediate, String output) {
        static BlockNames of(int i) {
            String p = "vit.encoder.layer." + i + ".";
            return new BlockNames(p + "layernorm_before.weight", p + "layernorm_before.bias",
                    p + "attention.attention.query", p + "attention.attention.key", p + "attention.attention.value",
                    p + "attention.output.dense", p + "layernorm_after.weight", p + "layernorm_after.bias",
                    p + "intermediate.dense", p + "output.dense");
        }
    }

    VitClassifier(VitConfig config, Map<String, NDArray> tensors, NDManager parent) {
        super(config, tensors, parent, linearPaths(config));
        this.vit = config;
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            blocks.add(BlockNames.of(i));
        }
    }

    static List<String> linearPaths(VitConfig config) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            BlockNames b = BlockNames.of(i);
            paths.addAll(List.of(b.query, b.key, b.value, b.attnOut, b.intermediate, b.output));
        }
        paths.add(HEAD);
        return paths;
    }

    @Override
    public NDArray logits(NDArray pixels) {
        requireScope();
        Shape shape = pixels.getShape();
        requirePixels(shape, "ViT", vit.numChannels(), vit.imageSize());
        long n = shape.get(0);
        long d = vit.hiddenSize();
        int p = vit.patchSize();
        NDArray patches = Conv2d.conv2d(pixels, plain("vit.embeddings.patch_embeddings.projection.weight"),
                plain("vit.embeddings.patch_embeddings.projection.bias"), new Shape(p, p)).singletonOrThrow();
        // [N, D, h, w] -> [N, patches, D]
        NDArray tokens = patches.reshape(n, d, vit.numPatches()).transpose(0, 2, 1);
        NDArray cls = plain("vit.embeddings.cls_token").broadcast(n, 1, d);
        NDArray x = cls.concat(tokens, 1).add(plain("vit.embeddings.position_embeddings"));
        for (BlockNames block : blocks) {
            x = block(x, block);
        }
        NDArray clsState = layerNorm(x.get(CLS_TOKEN), "vit.layernorm.weight", "vit.layernorm.bias");
        return linear(HEAD).apply(clsState);
    }

    private NDArray block(NDArray x, BlockNames b) {
        NDArray h = layerNorm(x, b.lnBeforeW, b.lnBeforeB);
        x = x.add(linear(b.attnOut).apply(attention(h, b)));
        NDArray h2 = layerNorm(x, b.lnAfterW, b.lnAfterB);
        NDArray inner = Activations.apply(vit.hiddenAct(), linear(b.intermediate).apply(h2));
        return x.add(linear(b.output).apply(inner));
    }

    private NDArray attention(NDArray h, BlockNames b) {
        Shape shape = h.getShape();
        long n = shape.get(0);
        long t = shape.get(1);
        long heads = vit.numAttentionHeads();
        long dh = vit.headDim();
        NDArray q = heads(linear(b.query).apply(h), n, t, heads, dh);
        NDArray k = heads(linear(b.key).apply(h), n, t, heads, dh);
        NDArray v = heads(linear(b.value).apply(h), n, t, heads, dh);
        NDArray scores = Arrays.divide(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(dh));
        NDArray context = scores.softmax(-1).matMul(v);
        return context.transpose(0, 2, 1, 3).reshape(n, t, heads * dh);
    }

    /** [N, T, H*dh] -> [N, H, T, dh] */
    private static NDArray heads(NDArray x, long n, long t, long heads, long dh) {
        return x.reshape(n, t, heads, dh).transpose(0, 2, 1, 3);
    }

    private NDArray layerNorm(NDArray x, String weight, String bias) {
        NDArray w = plain(weight);
        return LayerNorm.layerNorm(x, new Shape(w.getShape().get(0)), w, plain(bias), (float) vit.layerNormEps())
                .singletonOrThrow();
    }
}
