package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.support.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BertClassifierTest {

    private static final BertConfig CONFIG = TinyBert.config(3);

    /**
     * Gradients of a random linear function of the logits through the whole BERT forward pass (embeddings,
     * masked attention, post-norm layers, GELU, pooler, head) equal central finite differences, in float64.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Map<String, double[]> values = TinyBert.randomValues(CONFIG, 11, 0.5);
        double[] weights = new Random(5).doubles(9).map(x -> x - 0.5).toArray();
        Map<String, double[]> gradients = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier model = TinyBert.model(CONFIG, values, DataType.FLOAT64, manager)) {
            model.setTrainable(model.tensors().keySet());
            try (ForwardScope scope = ForwardScope.open(model);
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(TinyBert.batch(scope.manager(), 0, 1, 2));
                NDArray loss = logits.mul(scope.manager().create(weights, new Shape(3, 3))).sum();
                collector.backward(loss);
                for (Map.Entry<String, NDArray> entry : model.tensors().entrySet()) {
                    gradients.put(entry.getKey(), entry.getValue().getGradient().toDoubleArray());
                }
            }
        }
        Random pick = new Random(3);
        List<String> checked = List.of("bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
                "bert.embeddings.token_type_embeddings.weight", "bert.embeddings.LayerNorm.weight",
                "bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.attention.self.key.bias",
                "bert.encoder.layer.0.attention.self.value.weight", "bert.encoder.layer.0.attention.output.dense.weight",
                "bert.encoder.layer.0.attention.output.LayerNorm.bias", "bert.encoder.layer.1.intermediate.dense.weight",
                "bert.encoder.layer.1.output.dense.weight", "bert.encoder.layer.1.output.LayerNorm.weight",
                "bert.pooler.dense.weight", "classifier.bias");
        double h = 1e-5;
        for (String name : checked) {
            double[] tensor = values.get(name);
            for (int trial = 0; trial < 4; trial++) {
                // word embeddings: rows of ids the batch uses (2, 3, 5 ...), else the check could pass on zeros
                int index = name.contains("word_embeddings") ? (new int[] {2, 3, 7, 19})[trial] * 8 + pick.nextInt(8)
                        : pick.nextInt(tensor.length);
                double saved = tensor[index];
                tensor[index] = saved + h;
                double up = loss(values, weights);
                tensor[index] = saved - h;
                double down = loss(values, weights);
                tensor[index] = saved;
                double numeric = (up - down) / (2 * h);
                assertThat(gradients.get(name)[index]).as("d loss / d %s[%d]", name, index)
                        .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            }
        }
        // the pad id occurs only at padded positions: masked keys give its embedding row no gradient at all
        double[] padRow = java.util.Arrays.copyOfRange(gradients.get("bert.embeddings.word_embeddings.weight"), 0, 8);
        assertThat(padRow).containsOnly(0.0);
        assertThat(java.util.Arrays.stream(gradients.get("bert.embeddings.word_embeddings.weight"), 16, 24)
                .map(Math::abs).sum()).isGreaterThan(1e-6);
    }

    private static double loss(Map<String, double[]> values, double[] weights) {
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier model = TinyBert.model(CONFIG, values, DataType.FLOAT64, manager);
             ForwardScope scope = ForwardScope.open(model)) {
            double[] logits = model.logits(TinyBert.batch(scope.manager(), 0, 1, 2)).toDoubleArray();
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                sum += logits[i] * weights[i];
            }
            return sum;
        }
    }

    /** Padding a row to a longer batch (mask 0) changes none of its logits: padded keys get no attention. */
    @Test
    void paddingDoesNotChangeARowsLogits() {
        Map<String, double[]> values = TinyBert.randomValues(CONFIG, 2, 0.5);
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier model = TinyBert.model(CONFIG, values, DataType.FLOAT64, manager);
             ForwardScope scope = ForwardScope.open(model)) {
            double[] batched = model.logits(TinyBert.batch(scope.manager(), 0, 1, 2)).toDoubleArray();
            assertThat(TinyBert.batch(scope.manager(), 0, 1, 2).length()).isEqualTo(6);
            for (int row = 0; row < 3; row++) {
                double[] alone = model.logits(TinyBert.batch(scope.manager(), row)).toDoubleArray();
                for (int k = 0; k < 3; k++) {
                    assertThat(batched[row * 3 + k]).as("row %d logit %d", row, k).isCloseTo(alone[k], within(1e-12));
                }
            }
        }
    }

    /**
     * A bare {@code BertModel} checkpoint (no {@code bert.} prefix, no pooler, no classifier, with a pretraining head
     * and the position_ids buffer) loads as transformers loads it: the same encoder, a new pooler and head.
     */
    @Test
    void bareAndPrefixedCheckpointsGiveTheSameEncoder() {
        Map<String, double[]> values = TinyBert.randomValues(CONFIG, 4, 0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> bare = new LinkedHashMap<>();
            TinyBert.arrays(CONFIG, values, DataType.FLOAT64, manager).forEach((name, array) -> {
                if (!name.startsWith("bert.pooler") && !name.startsWith("classifier")) {
                    bare.put(name.substring("bert.".length()), array);
                }
            });
            bare.put("embeddings.position_ids", manager.arange(0L, 16L, 1L, DataType.INT64).reshape(1, 16));
            bare.put("cls.predictions.bias", manager.zeros(new Shape(20), DataType.FLOAT64));
            try (BertClassifier full = TinyBert.model(CONFIG, values, DataType.FLOAT64, manager);
                 BertClassifier fromBare = BertModels.create(CONFIG, bare, 9, manager);
                 BertClassifier again = BertModels.create(CONFIG, TinyBert.arrays(CONFIG, withoutHeads(values),
                         DataType.FLOAT64, manager), 9, manager)) {
                assertThat(full.newModules()).isEmpty();
                assertThat(fromBare.newModules()).containsExactly("bert.pooler.dense", "classifier");
                assertThat(fromBare.savedModules()).containsExactly("pooler.dense");
                assertThat(Arrays.toDoubles(fromBare.linears().get("bert.pooler.dense").bias())).containsOnly(0.0);
                // the new modules' init is seeded: the same seed gives the same pooler
                assertThat(Arrays.toDoubles(fromBare.linears().get("bert.pooler.dense").tensors().get("weight")))
                        .containsExactly(Arrays.toDoubles(again.linears().get("bert.pooler.dense").tensors().get("weight")));
                try (ForwardScope a = ForwardScope.open(full); ForwardScope b = ForwardScope.open(fromBare)) {
                    double[] expected = full.lastHiddenState(TinyBert.batch(a.manager(), 0, 2)).toDoubleArray();
                    double[] actual = fromBare.lastHiddenState(TinyBert.batch(b.manager(), 0, 2)).toDoubleArray();
                    assertThat(actual).containsExactly(expected, within(0.0));
                }
            }
        }
    }

    private static Map<String, double[]> withoutHeads(Map<String, double[]> values) {
        Map<String, double[]> kept = new LinkedHashMap<>(values);
        kept.keySet().removeIf(name -> name.startsWith("bert.pooler") || name.startsWith("classifier"));
        return kept;
    }

    @Test
    void aCheckpointThatDoesNotFitIsRefusedNamingTheTensor() {
        Map<String, double[]> values = TinyBert.randomValues(CONFIG, 4, 0.5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> extra = TinyBert.arrays(CONFIG, values, DataType.FLOAT32, manager);
            extra.put("bert.encoder.layer.2.attention.self.query.weight", manager.zeros(new Shape(8, 8)));
            assertThatThrownBy(() -> BertModels.create(CONFIG, extra, 1, manager))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("unexpected tensor bert.encoder.layer.2.attention.self.query.weight")
                    .satisfies(e -> assertThat(((InvalidModelException) e).param()).isEqualTo("weights"));
            Map<String, NDArray> misshapen = TinyBert.arrays(CONFIG, values, DataType.FLOAT32, manager);
            misshapen.put("bert.embeddings.word_embeddings.weight", manager.zeros(new Shape(21, 8)));
            assertThatThrownBy(() -> BertModels.create(CONFIG, misshapen, 1, manager))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("bert.embeddings.word_embeddings.weight has shape [21, 8], expected [20, 8]");
            Map<String, NDArray> half = TinyBert.arrays(CONFIG, values, DataType.FLOAT32, manager);
            half.remove("bert.pooler.dense.bias");
            assertThatThrownBy(() -> BertModels.create(CONFIG, half, 1, manager))
                    .isInstanceOf(InvalidModelException.class)
                    .hasMessageContaining("tensor bert.pooler.dense.bias is missing");
        }
    }

    @Test
    void aBatchLongerThanThePositionTableIsRefused() {
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier model = TinyBert.model(CONFIG, TinyBert.randomValues(CONFIG, 1, 0.1), DataType.FLOAT32, manager);
             ForwardScope scope = ForwardScope.open(model)) {
            long[][] ids = {new long[17]};
            assertThatThrownBy(() -> model.logits(dev.largo.worker.engine.data.TokenBatch.pad(ids, ids, new int[] {0}, 0,
                    scope.manager()))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_position_embeddings 16");
        }
    }
}
