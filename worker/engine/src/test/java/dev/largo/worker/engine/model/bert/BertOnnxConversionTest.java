package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.data.TokenizedDataset;
import dev.largo.worker.engine.optim.Gradients;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.train.CrossEntropy;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.OptimizerFactory;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.data.TokenBatch;
import dev.largo.worker.engine.model.ForwardScope;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in all-MiniLM-L6-v2, converted from ONNX to a Hugging Face checkpoint, computes what ONNX Runtime
 * computes from the original ONNX file on the same token ids: the conversion and the engine's BERT forward pass
 * (embeddings, masked attention, post-norm layers, GELU) are proven against a real peer.
 */
class BertOnnxConversionTest {

    @TempDir
    static Path cache;
    static Path model;

    @BeforeAll
    static void convert() throws Exception {
        model = AllMiniLmL6V2.materialize(cache);
    }

    @Test
    void lastHiddenStateEqualsOnnxRuntimeOnTheSameTokenIds() throws Exception {
        EncoderConfig config = BertModels.config(model);
        List<String> texts = List.of(
                "The service fine-tunes a real pretrained encoder.",
                "short",
                "Ünïcödé, accents and an emoji 🙂: the tokenizer normalises them as the model was trained.",
                "A long review that goes on and on. ".repeat(30));
        TextTokenizer.Tokens tokens;
        try (TextTokenizer tokenizer = BertModels.tokenizer(model, config, 128)) {
            tokens = tokenizer.encode(texts);
        }
        assertThat(tokens.ids()[3]).hasSize(128); // truncated to max_seq_length, [SEP] kept last
        assertThat(tokens.ids()[3][127]).isEqualTo(102L);
        int[] rows = {0, 1, 2, 3};
        int n = rows.length;
        float[] actual;
        long[][] ids;
        long[][] mask;
        long[][] types;
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier bert = BertModels.load(model, 7, manager);
             ForwardScope scope = ForwardScope.open(bert)) {
            TokenBatch batch = TokenBatch.pad(tokens.ids(), tokens.typeIds(), rows, config.padTokenId(), scope.manager());
            actual = bert.lastHiddenState(batch).toFloatArray();
            ids = rows2d(batch.inputIds().toLongArray(), n);
            mask = rows2d(batch.attentionMask().toLongArray(), n);
            types = rows2d(batch.tokenTypeIds().toLongArray(), n);
        }
        float[][][] expected = onnxRuntime(ids, mask, types);
        int t = ids[0].length;
        int d = config.hiddenSize();
        double maxDiff = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < t; p++) {
                for (int k = 0; k < d; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(actual[(i * t + p) * d + k] - expected[i][p][k]));
                }
            }
        }
        System.out.printf("all-MiniLM-L6-v2 last_hidden_state vs ONNX Runtime: max |diff| %.3g over %d x %d x %d%n",
                maxDiff, n, t, d);
        assertThat(maxDiff).isLessThan(1e-4);
        // a real comparison: the states are not trivially small
        assertThat(Math.abs(expected[0][0][0]) + Math.abs(expected[0][1][5])).isGreaterThan(1e-2f);
    }

    @Test
    void theConvertedFolderIsACompleteHuggingFaceBertModelWithItsLicence() throws Exception {
        EncoderConfig config = BertModels.config(model);
        assertThat(config.hiddenSize()).isEqualTo(384);
        assertThat(config.numHiddenLayers()).isEqualTo(6);
        assertThat(Files.readString(model.resolve(AllMiniLmL6V2.LICENSE))).contains("Apache License")
                .contains("sentence-transformers/all-MiniLM-L6-v2");
        try (NDManager manager = NDManager.newBaseManager(); BertClassifier bert = BertModels.load(model, 7, manager)) {
            // the ONNX export has no pooler: it is new, as in transformers, and so is the classifier
            assertThat(bert.newModules()).containsExactly("bert.pooler.dense", "classifier");
            long parameters = config.parameterCount() - config.labels().size() * (384 + 1L);
            assertThat(parameters).isBetween(22_600_000L, 22_800_000L);
        }
        // a second start reuses the cache
        long modified = Files.getLastModifiedTime(model.resolve(BertModels.WEIGHTS)).toMillis();
        assertThat(AllMiniLmL6V2.materialize(cache)).isEqualTo(model);
        assertThat(Files.getLastModifiedTime(model.resolve(BertModels.WEIGHTS)).toMillis()).isEqualTo(modified);
    }

    @Test
    void theTokenizerGivesBertUncasedIds() throws Exception {
        try (TextTokenizer tokenizer = BertModels.tokenizer(model, BertModels.config(model), 128)) {
            assertThat(tokenizer.encode(List.of("Hello World")).ids()[0]).containsExactly(101L, 7592L, 2088L, 102L);
        }
    }

    /**
     * The whole text path on the real model: its tokenizer, a tokenized dataset, padded batches, LoRA on the
     * default targets with the new pooler and head, AdamW: the loss of a small sentiment task falls and the
     * pretrained weights stay bit-identical.
     */
    @Test
    void loraOnTheRealModelLearnsASmallSentimentTaskWithFrozenWeightsUnchanged() throws Exception {
        EncoderConfig config = BertModels.config(model);
        List<String> positive = List.of("I love this product, it works great.", "Excellent quality, highly recommended!",
                "Fantastic, exactly what I wanted.", "Wonderful service and a great price.");
        List<String> negative = List.of("Terrible, it broke after one day.", "Awful quality, a complete waste of money.",
                "Very disappointing, I want a refund.", "The worst purchase I have ever made.");
        List<String> texts = new java.util.ArrayList<>(positive);
        texts.addAll(negative);
        TextDataset data = new TextDataset(texts, new int[] {1, 1, 1, 1, 0, 0, 0, 0}, List.of("negative", "positive"));
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        try (NDManager manager = NDManager.newBaseManager();
             TextTokenizer tokenizer = BertModels.tokenizer(model, config, 32);
             BertClassifier bert = BertModels.load(model, 7, manager)) {
            TokenizedDataset tokens = TokenizedDataset.of(data, tokenizer);
            bert.replaceHead(data.classNames(), 7);
            MethodConfig method = new MethodConfig(MethodType.LORA,
                    new LoraConfig(4, 8, bert.defaultLoraTargets(), LoraInit.GAUSSIAN), null);
            PreparedMethod prepared = PreparedMethod.prepare(bert, method, 7);
            assertThat(prepared.loraLayers()).hasSize(36);
            bert.setTrainable(prepared.trainable());
            float[] frozenQuery = bert.tensors().get("bert.encoder.layer.3.attention.self.query.weight").toFloatArray();
            float[] frozenEmbeddings = bert.tensors().get("bert.embeddings.word_embeddings.weight").toFloatArray();
            Optimizer optimizer = OptimizerFactory.create(bert.manager(), method, prepared, Hyperparameters.defaults(MethodType.LORA));
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 12; step++) {
                try (ForwardScope scope = ForwardScope.open(bert);
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = CrossEntropy.mean(bert.logits(tokens.batch(rows, config.padTokenId(), scope.manager())),
                            tokens.labels(rows, scope.manager()));
                    last = loss.getFloat();
                    first = step == 0 ? last : first;
                    collector.backward(loss);
                }
                optimizer.step(bert.trainable(), 1e-3f);
                Gradients.zero(bert.trainable());
            }
            System.out.printf("all-MiniLM-L6-v2 + LoRA, 12 steps on 8 reviews: loss %.4g -> %.4g%n", first, last);
            assertThat(last).isLessThan(first * 0.7);
            // Arrays.equals: AssertJ's element-wise diff is quadratic on 11.7M floats
            assertThat(java.util.Arrays.equals(frozenQuery,
                    bert.tensors().get("bert.encoder.layer.3.attention.self.query.weight").toFloatArray())).isTrue();
            assertThat(java.util.Arrays.equals(frozenEmbeddings,
                    bert.tensors().get("bert.embeddings.word_embeddings.weight").toFloatArray())).isTrue();
        }
    }

    private static float[][][] onnxRuntime(long[][] ids, long[][] mask, long[][] types) throws Exception {
        byte[] onnx;
        try (InputStream in = AllMiniLmL6V2.open(AllMiniLmL6V2.ONNX_RESOURCE)) {
            onnx = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // full float32 precision: no graph rewrites that fuse and reorder arithmetic
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            try (OrtSession session = env.createSession(onnx, options);
                 OnnxTensor idTensor = OnnxTensor.createTensor(env, ids);
                 OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask);
                 OnnxTensor typeTensor = OnnxTensor.createTensor(env, types);
                 OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                         "token_type_ids", typeTensor))) {
                return (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
            }
        }
    }

    private static long[][] rows2d(long[] flat, int n) {
        int t = flat.length / n;
        long[][] rows = new long[n][t];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * t, rows[i], 0, t);
        }
        return rows;
    }
}
