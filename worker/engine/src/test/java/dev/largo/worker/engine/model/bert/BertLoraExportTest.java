package dev.largo.worker.engine.model.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PeftAdapterLoader;
import dev.largo.worker.engine.export.PeftExporter;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.optim.Gradients;
import dev.largo.worker.engine.optim.Sgd;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraInjector;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.CrossEntropy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * LoRA on a BERT (and a DistilBERT) built from a bare encoder checkpoint (new pooler and head): the default targets are
 * every encoder linear, training moves only the adapters, the pooler and the head (frozen weights stay
 * bit-identical), and the export uses Hugging Face BERT names: the merged model and the PEFT adapter applied to
 * the original checkpoint both reproduce the trained model's logits.
 */
class BertLoraExportTest {

    private static final List<String> LABELS = List.of("negative", "positive");

    @TempDir
    Path dir;

    private static final String BERT = """
            {"model_type":"bert","architectures":["BertModel"],"vocab_size":20,"hidden_size":8,
             "num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":12,"max_position_embeddings":16}""";
    private static final String DISTILBERT = """
            {"model_type":"distilbert","architectures":["DistilBertModel"],"vocab_size":20,"dim":8,"n_layers":2,
             "n_heads":2,"hidden_dim":12,"max_position_embeddings":16}""";

    static List<Arguments> cases() {
        return List.of(
                Arguments.of(BERT, LoraInit.GAUSSIAN, List.of(
                        "base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
                        "base_model.model.bert.encoder.layer.0.attention.output.dense.lora_B.weight",
                        "base_model.model.bert.encoder.layer.1.intermediate.dense.lora_A.weight",
                        "base_model.model.bert.pooler.dense.weight", "base_model.model.classifier.bias"),
                        "[\"classifier\",\"pooler.dense\"]", "bert.encoder.layer.1.output.dense.lora_B"),
                Arguments.of(BERT, LoraInit.SVD_PRINCIPAL, List.of(
                        "base_model.model.bert.encoder.layer.1.attention.self.value.lora_B.weight",
                        "base_model.model.bert.pooler.dense.bias"),
                        "[\"classifier\",\"pooler.dense\"]", "bert.encoder.layer.1.output.dense.lora_B"),
                Arguments.of(DISTILBERT, LoraInit.GAUSSIAN, List.of(
                        "base_model.model.distilbert.transformer.layer.0.attention.q_lin.lora_A.weight",
                        "base_model.model.distilbert.transformer.layer.1.ffn.lin2.lora_B.weight",
                        "base_model.model.pre_classifier.weight", "base_model.model.classifier.weight"),
                        "[\"classifier\",\"pre_classifier\"]", "distilbert.transformer.layer.1.ffn.lin2.lora_B"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void trainsOnlyAdaptersPoolerAndHeadAndExportsUnderHuggingFaceNames(String baseJson, LoraInit init,
            List<String> someKeys, String modulesToSave, String trainedAdapter) throws Exception {
        EncoderConfig base = EncoderConfig.parse(baseJson);
        String prefix = base.family().prefix();
        Path baseDir = Files.createDirectories(dir.resolve("base"));
        Files.writeString(baseDir.resolve(BertModels.CONFIG), base.raw().toString());
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> bare = new LinkedHashMap<>();
            TinyBert.arrays(base, TinyBert.randomValues(base, 8, 0.4), DataType.FLOAT32, manager).forEach((name, array) -> {
                if (name.startsWith(prefix) && !name.startsWith(base.family().pooler())) {
                    bare.put(name.substring(prefix.length()), array);
                }
            });
            SafeTensors.writeNDArrays(baseDir.resolve(BertModels.WEIGHTS), bare, Map.of());

            BertClassifier model = BertModels.load(baseDir, 3, manager);
            model.replaceHead(LABELS, 4);
            LoraConfig lora = new LoraConfig(2, 4, model.defaultLoraTargets(), init);
            Map<String, LoraLinear> layers = LoraInjector.inject(model, lora, 17);
            assertThat(layers).hasSize(12).doesNotContainKey(base.family().pooler());
            assertThat(layers.keySet()).allMatch(path -> path.startsWith(prefix) && path.contains("layer."));
            List<String> trainable = new ArrayList<>();
            for (String path : layers.keySet()) {
                trainable.add(path + ".lora_A");
                trainable.add(path + ".lora_B");
            }
            for (String module : model.newModules()) {
                trainable.add(module + ".weight");
                trainable.add(module + ".bias");
            }
            model.setTrainable(trainable);
            Map<String, float[]> frozenBefore = snapshot(model, trainable, false);
            Map<String, float[]> trainedBefore = snapshot(model, trainable, true);

            Sgd sgd = new Sgd(model.manager(), 0f, 0f);
            for (int step = 0; step < 3; step++) {
                try (ForwardScope scope = ForwardScope.open(model);
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = CrossEntropy.mean(model.logits(TinyBert.batch(scope.manager(), 0, 1, 2)),
                            scope.manager().create(new long[] {1, 0, 1}));
                    collector.backward(loss);
                }
                sgd.step(model.trainable(), 0.5f);
                Gradients.zero(model.trainable());
            }
            Map<String, float[]> frozenAfter = snapshot(model, trainable, false);
            for (Map.Entry<String, float[]> entry : frozenBefore.entrySet()) {
                assertThat(frozenAfter.get(entry.getKey())).as(entry.getKey()).containsExactly(entry.getValue());
            }
            Map<String, float[]> trainedAfter = snapshot(model, trainable, true);
            for (String name : List.of(trainedAdapter, base.family().pooler() + ".weight", "classifier.weight")) {
                assertThat(trainedAfter.get(name)).as(name).isNotEqualTo(trainedBefore.get(name));
            }

            Path zip = dir.resolve("adapter.zip");
            PeftExporter.export(model, lora.targetModules(), model.savedModules(), "tiny-bert", init.id(), zip);
            Map<String, byte[]> files = unzip(zip);
            Path weights = dir.resolve("adapter_model.safetensors");
            Files.write(weights, files.get("adapter_model.safetensors"));
            assertThat(SafeTensors.readHeader(weights).tensors().keySet()).containsAll(someKeys).hasSize(12 * 2 + 4);
            JsonNode config = Json.MAPPER.readTree(files.get("adapter_config.json"));
            assertThat(config.get("modules_to_save").toString()).isEqualTo(modulesToSave);

            float[] trainedLogits = logits(model);
            Path merged = dir.resolve("merged");
            MergedModelWriter.write(model, merged);
            try (BertClassifier reloaded = BertModels.load(merged, 99, manager)) {
                assertThat(reloaded.newModules()).isEmpty();
                assertThat(Files.readString(merged.resolve(BertModels.CONFIG))).contains(base.architecture());
                assertThat(reloaded.config().labels()).containsExactlyElementsOf(LABELS);
                assertClose(logits(reloaded), trainedLogits);
            }
            try (BertClassifier original = BertModels.load(baseDir, 99, manager)) {
                PeftAdapterLoader.apply(original, zip);
                assertClose(logits(original), trainedLogits);
            }
            model.close();
        }
    }

    private static Map<String, float[]> snapshot(BertClassifier model, List<String> trainable, boolean trained) {
        Map<String, float[]> values = new HashMap<>();
        model.tensors().forEach((name, array) -> {
            if (trainable.contains(name) == trained) {
                values.put(name, array.toFloatArray());
            }
        });
        return values;
    }

    private static float[] logits(BertClassifier model) {
        try (ForwardScope scope = ForwardScope.open(model)) {
            return model.logits(TinyBert.batch(scope.manager(), 0, 1, 2)).toFloatArray();
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-5));
        }
    }

    private static Map<String, byte[]> unzip(Path zip) throws Exception {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                files.put(entry.getName(), entries.readAllBytes());
            }
        }
        return files;
    }
}
