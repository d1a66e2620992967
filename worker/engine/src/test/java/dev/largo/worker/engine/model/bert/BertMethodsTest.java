package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.optim.Gradients;
import dev.largo.worker.engine.optim.Optimizer;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.train.CrossEntropy;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.OptimizerFactory;
import dev.largo.worker.engine.train.PreparedMethod;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every single-task method prepares and trains a BERT whose checkpoint lacked pooler and head: both are new,
 * so every method trains them and none regulates them; what the method freezes stays bit-identical, and a few
 * optimizer steps (the method's own optimizer, the regulated projection for largo and ftp) lower the loss.
 */
class BertMethodsTest {

    private static final BertConfig BASE = BertConfig.parse("""
            {"model_type":"bert","architectures":["BertModel"],"vocab_size":20,"hidden_size":8,
             "num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":12,"max_position_embeddings":16}""");

    @ParameterizedTest
    @EnumSource(value = MethodType.class, names = {"LINEAR_PROBE", "FULL", "FTP", "LORA", "PISSA", "LARGO"})
    void everyMethodTrainsTheNewPoolerAndHeadAndFreezesTheRest(MethodType type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> bare = new LinkedHashMap<>();
            TinyBert.arrays(BASE, TinyBert.randomValues(BASE, 8, 0.4), DataType.FLOAT32, manager).forEach((name, array) -> {
                if (!name.startsWith("bert.pooler") && !name.startsWith("classifier")) {
                    bare.put(name.substring(BertConfig.PREFIX.length()), array);
                }
            });
            try (BertClassifier model = BertModels.create(BASE, bare, 3, manager)) {
                model.replaceHead(List.of("negative", "positive"), 4);
                MethodConfig method = new MethodConfig(type, type.usesLora()
                        ? new LoraConfig(2, 4, BertClassifier.DEFAULT_LORA_TARGETS, type.defaultInit()) : null, null);
                PreparedMethod prepared = PreparedMethod.prepare(model, method, 17);
                List<String> pooler = List.of("bert.pooler.dense.weight", "bert.pooler.dense.bias");
                assertThat(prepared.head()).containsAll(pooler).contains("classifier.weight", "classifier.bias");
                assertThat(prepared.trainable()).containsAll(prepared.head());
                assertThat(prepared.regulated()).doesNotContainAnyElementsOf(prepared.head());
                if (type == MethodType.LARGO || type == MethodType.FTP) {
                    assertThat(prepared.regulated()).isNotEmpty();
                }
                model.setTrainable(prepared.trainable());
                Map<String, float[]> frozen = new HashMap<>();
                model.tensors().forEach((name, array) -> {
                    if (!prepared.trainable().contains(name)) {
                        frozen.put(name, array.toFloatArray());
                    }
                });
                Optimizer optimizer = OptimizerFactory.create(model.manager(), method, prepared,
                        Hyperparameters.defaults(type));
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 8; step++) {
                    try (ForwardScope scope = ForwardScope.open(model);
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = CrossEntropy.mean(model.logits(TinyBert.batch(scope.manager(), 0, 1, 2)),
                                scope.manager().create(new long[] {1, 0, 1}));
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                        collector.backward(loss);
                    }
                    optimizer.step(model.trainable(), 0.05f);
                    Gradients.zero(model.trainable());
                }
                assertThat(last).as("loss after 8 %s steps", type.id()).isLessThan(first);
                frozen.forEach((name, before) ->
                        assertThat(model.tensors().get(name).toFloatArray()).as(name).containsExactly(before));
            }
        }
    }
}
