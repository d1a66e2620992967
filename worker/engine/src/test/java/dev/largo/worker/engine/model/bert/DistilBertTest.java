package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.data.TokenBatch;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraInjector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DistilBERT is BERT's computation under other names, without token types and with relu(pre_classifier) as
 * the pooler: a DistilBERT built from a BERT's weights (token type embeddings zero) has BERT's hidden states,
 * and its logits are classifier(relu(pre_classifier(first token))).
 */
class DistilBertTest {

    private static final String BERT_JSON = """
            {"model_type":"bert","vocab_size":20,"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,
             "intermediate_size":12,"max_position_embeddings":16,"type_vocab_size":1,"layer_norm_eps":1e-12,
             "id2label":{"0":"a","1":"b","2":"c"}}""";
    private static final String DISTIL_JSON = """
            {"model_type":"distilbert","architectures":["DistilBertForMaskedLM"],"vocab_size":20,"dim":8,"n_layers":2,
             "n_heads":2,"hidden_dim":12,"max_position_embeddings":16,"id2label":{"0":"a","1":"b","2":"c"}}""";

    @Test
    void aDistilBertIsBertsComputationUnderItsOwnNames() {
        BertConfig bert = BertConfig.parse(BERT_JSON);
        EncoderConfig distil = EncoderConfig.parse(DISTIL_JSON);
        assertThat(distil).isInstanceOf(DistilBertConfig.class);
        assertThat(distil.architecture()).isEqualTo("DistilBertForSequenceClassification");
        Map<String, double[]> values = TinyBert.randomValues(bert, 6, 0.5);
        java.util.Arrays.fill(values.get("bert.embeddings.token_type_embeddings.weight"), 0.0);
        Map<String, double[]> renamed = new LinkedHashMap<>();
        List<String> bertNames = List.copyOf(bert.expectedTensors().keySet()).stream()
                .filter(name -> !name.contains("token_type")).toList();
        List<String> distilNames = List.copyOf(distil.expectedTensors().keySet());
        assertThat(distilNames).hasSameSizeAs(bertNames).contains("distilbert.transformer.layer.1.ffn.lin2.weight",
                "distilbert.transformer.layer.0.sa_layer_norm.bias", "pre_classifier.weight");
        for (int i = 0; i < bertNames.size(); i++) {
            renamed.put(distilNames.get(i), values.get(bertNames.get(i)));
        }
        try (NDManager manager = NDManager.newBaseManager();
             BertClassifier b = TinyBert.model(bert, values, DataType.FLOAT64, manager);
             BertClassifier d = TinyBert.model(distil, renamed, DataType.FLOAT64, manager);
             ForwardScope sb = ForwardScope.open(b);
             ForwardScope sd = ForwardScope.open(d)) {
            long[][] ids = TinyBert.ids();
            long[][] noTypes = new long[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                noTypes[i] = new long[ids[i].length];
            }
            TokenBatch forBert = TokenBatch.pad(ids, noTypes, new int[] {0, 1, 2}, 0, sb.manager());
            TokenBatch forDistil = TokenBatch.pad(ids, TinyBert.typeIds(), new int[] {0, 1, 2}, 0, sd.manager());
            double[] expected = b.lastHiddenState(forBert).toDoubleArray();
            NDArray hidden = d.lastHiddenState(forDistil);
            assertThat(hidden.toDoubleArray()).containsExactly(expected, within(1e-12));
            // logits: classifier(relu(pre_classifier(h[:, 0])))
            double[] h = hidden.toDoubleArray();
            double[] w1 = renamed.get("pre_classifier.weight");
            double[] b1 = renamed.get("pre_classifier.bias");
            double[] w2 = renamed.get("classifier.weight");
            double[] b2 = renamed.get("classifier.bias");
            double[] logits = d.logits(forDistil).toDoubleArray();
            int t = (int) forDistil.length();
            for (int row = 0; row < 3; row++) {
                double[] pooled = new double[8];
                for (int o = 0; o < 8; o++) {
                    double sum = b1[o];
                    for (int k = 0; k < 8; k++) {
                        sum += w1[o * 8 + k] * h[row * t * 8 + k];
                    }
                    pooled[o] = Math.max(0, sum);
                }
                for (int c = 0; c < 3; c++) {
                    double sum = b2[c];
                    for (int k = 0; k < 8; k++) {
                        sum += w2[c * 8 + k] * pooled[k];
                    }
                    assertThat(logits[row * 3 + c]).isCloseTo(sum, within(1e-12));
                }
            }
            assertThat(java.util.Arrays.stream(logits).map(Math::abs).sum()).isGreaterThan(1e-3);
        }
    }

    @Test
    void aBareDistilBertCheckpointGetsANewPreClassifierAndHeadAndDefaultTargetsEveryEncoderLinear() {
        EncoderConfig distil = EncoderConfig.parse(DISTIL_JSON);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> bare = new LinkedHashMap<>();
            TinyBert.arrays(distil, TinyBert.randomValues(distil, 2, 0.4), DataType.FLOAT32, manager).forEach((name, a) -> {
                if (name.startsWith("distilbert.")) {
                    bare.put(name.substring("distilbert.".length()), a);
                }
            });
            bare.put("vocab_projector.bias", manager.zeros(new Shape(20)));
            bare.put("vocab_layer_norm.weight", manager.ones(new Shape(8)));
            try (BertClassifier model = BertModels.create(distil, bare, 3, manager)) {
                assertThat(model.newModules()).containsExactly("pre_classifier", "classifier");
                assertThat(model.savedModules()).containsExactly("pre_classifier");
                assertThat(model.headTensors()).containsExactly("pre_classifier.weight", "pre_classifier.bias",
                        "classifier.weight", "classifier.bias");
                List<String> targets = LoraInjector.targets(model,
                        new LoraConfig(2, 4, model.defaultLoraTargets(), LoraInit.GAUSSIAN));
                assertThat(targets).hasSize(12).contains("distilbert.transformer.layer.0.attention.q_lin",
                        "distilbert.transformer.layer.1.ffn.lin2").doesNotContain("pre_classifier");
            }
        }
    }

    @Test
    void badDistilBertConfigsNameTheField() {
        assertThatThrownBy(() -> EncoderConfig.parse(DISTIL_JSON.replace("\"n_heads\":2", "\"n_heads\":3")))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("dim 8 is not a multiple of n_heads 3")
                .satisfies(e -> assertThat(((InvalidModelException) e).location()).isEqualTo("n_heads"));
        assertThatThrownBy(() -> EncoderConfig.parse(DISTIL_JSON.replace("\"dim\":8", "\"dim\":8,\"sinusoidal_pos_embds\":true")))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("sinusoidal_pos_embds");
        assertThatThrownBy(() -> EncoderConfig.parse(DISTIL_JSON.replace("DistilBertForMaskedLM", "BertModel")))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("architectures must name one distilbert");
    }
}
