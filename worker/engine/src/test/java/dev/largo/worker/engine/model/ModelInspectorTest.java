package dev.largo.worker.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.vit.VitConfig;
import dev.largo.worker.engine.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInspectorTest {

    @TempDir
    Path dir;

    @Test
    void summarisesAValidVit() throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        Path file = weights(config, t -> { });
        ModelSummary summary = ModelInspector.inspect(config.toJson(), file);
        assertThat(summary.architecture()).isEqualTo("ViTForImageClassification");
        assertThat(summary.numLabels()).isEqualTo(3);
        assertThat(summary.imageSize()).isEqualTo(6);
        assertThat(summary.numChannels()).isEqualTo(2);
        assertThat(summary.labels()).containsExactly("c0", "c1", "c2");
        // cls 8 + pos 5*8 + patch 8*2*3*3 + 8, per block 4 LN*8... computed independently:
        long block = 2 * 8 + 3 * (64 + 8) + (64 + 8) + 2 * 8 + (12 * 8 + 12) + (8 * 12 + 8);
        long expected = 8 + 40 + 144 + 8 + 2 * block + 16 + (3 * 8 + 3);
        assertThat(summary.parameterCount()).isEqualTo(expected);
    }

    @Test
    void summarisesAValidMlp() throws Exception {
        ModelConfig config = TinyModels.mlp(4);
        ModelSummary summary = ModelInspector.inspect(config.toJson(), weights(config, t -> { }));
        assertThat(summary.architecture()).isEqualTo("MlpForImageClassification");
        assertThat(summary.parameterCount()).isEqualTo(16 * 10 + 10 + 10 * 7 + 7 + 7 * 4 + 4);
    }

    @Test
    void namesAMissingTensorWithItsExpectedShape() throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        String name = "vit.encoder.layer.1.attention.attention.value.bias";
        Path file = weights(config, t -> t.remove(name));
        assertInvalid(() -> ModelInspector.inspect(config.toJson(), file), "weights", name,
                "tensor " + name + " is missing (expected shape [8])");
    }

    @Test
    void namesAWrongShapeWithExpectedAndActual() throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        String name = "vit.encoder.layer.0.intermediate.dense.weight";
        Path file = weights(config, t -> t.put(name, t.get(name).reshape(8, 12)));
        assertInvalid(() -> ModelInspector.inspect(config.toJson(), file), "weights", name,
                "tensor " + name + " has shape [8, 12], expected [12, 8]");
    }

    @Test
    void rejectsAnUnexpectedTensor() throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        Path file = weights(config, t -> t.put("vit.pooler.dense.weight", t.get("classifier.weight").zerosLike()));
        assertInvalid(() -> ModelInspector.inspect(config.toJson(), file), "weights", "vit.pooler.dense.weight",
                "unexpected tensor vit.pooler.dense.weight with shape [3, 8]");
    }

    @Test
    void rejectsAnIntegerTensor() throws Exception {
        ModelConfig config = TinyModels.mlp(2);
        Path file = weights(config, t -> t.put("classifier.bias", t.get("classifier.bias").toType(DataType.INT64, false)));
        assertInvalid(() -> ModelInspector.inspect(config.toJson(), file), "weights", "classifier.bias",
                "expected a floating-point type");
    }

    @Test
    void rejectsAFileThatIsNotSafetensors() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThatThrownBy(() -> ModelInspector.inspect(TinyModels.mlp(2).toJson(), file))
                .isInstanceOfSatisfying(InvalidModelException.class, e -> assertThat(e.param()).isEqualTo("weights"))
                .hasMessageContaining("not a valid safetensors file");
    }

    @Test
    void rejectsBadConfigsNamingTheField() throws Exception {
        Path file = weights(TinyModels.mlp(2), t -> { });
        String vit = "{\"model_type\":\"vit\",\"hidden_size\":10,\"num_attention_heads\":3}";
        assertInvalid(() -> ModelInspector.inspect(vit, file), "config", "num_attention_heads",
                "hidden_size 10 is not a multiple of num_attention_heads 3");
        assertInvalid(() -> ModelInspector.inspect("{\"model_type\":\"t5\"}", file), "config", "model_type",
                "model_type \"t5\" is not supported");
        assertInvalid(() -> ModelInspector.inspect("{\"model_type\":\"vit\",\"architectures\":[\"ViTModel\"]}", file),
                "config", "architectures", "architectures must be [\"ViTForImageClassification\"]");
        assertInvalid(() -> ModelInspector.inspect("{\"model_type\":\"vit\",\"hidden_act\":\"swish\"}", file),
                "config", "hidden_act", "hidden_act \"swish\" is not supported");
        assertInvalid(() -> ModelInspector.inspect("{\"model_type\":\"vit\",\"id2label\":{\"0\":\"a\",\"2\":\"b\"}}", file),
                "config", "id2label", "id2label keys must be 0..1");
        assertInvalid(() -> ModelInspector.inspect("{\"model_type\":\"vit\",\"patch_size\":-4}", file),
                "config", "patch_size", "patch_size must be a positive integer");
        assertThatThrownBy(() -> ModelInspector.inspect("{not json", file))
                .isInstanceOfSatisfying(InvalidModelException.class, e -> assertThat(e.param()).isEqualTo("config"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void hfDefaultsFillAbsentFields() {
        VitConfig config = (VitConfig) ModelConfig.parse("{\"model_type\":\"vit\"}");
        assertThat(config.hiddenSize()).isEqualTo(768);
        assertThat(config.numHiddenLayers()).isEqualTo(12);
        assertThat(config.layerNormEps()).isEqualTo(1e-12);
        assertThat(config.imageSize()).isEqualTo(224);
        assertThat(config.patchSize()).isEqualTo(16);
        assertThat(config.labels()).containsExactly("LABEL_0", "LABEL_1");
        assertThat(config.parameterCount()).isEqualTo(85_800_194L); // google/vit-base-patch16-224 with 2 labels
    }

    @Test
    void loaderReadsWhatTheInspectorAccepts() throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        Path file = weights(config, t -> { });
        Path configFile = dir.resolve("config.json");
        Files.writeString(configFile, config.toJson());
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = ModelLoader.loadImage(configFile, file, manager)) {
            assertThat(model.config().labels()).containsExactly("c0", "c1", "c2");
            Map<String, NDArray> expected = SafeTensors.loadAsNDArrays(file, manager);
            assertThat(model.tensors().keySet()).containsExactlyElementsOf(config.expectedTensors().keySet());
            expected.forEach((name, array) ->
                    assertThat(model.tensors().get(name).toFloatArray()).containsExactly(array.toFloatArray()));
        }
    }

    private Path weights(ModelConfig config, Consumer<Map<String, NDArray>> edit) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(
                    TinyModels.randomTensors(config, 1, 0.1, DataType.FLOAT32, manager));
            edit.accept(tensors);
            Path file = Files.createTempFile(dir, "model", ".safetensors");
            SafeTensors.writeNDArrays(file, tensors, Map.of());
            return file;
        }
    }

    private static void assertInvalid(ThrowingCallable call, String param, String location, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidModelException.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.location()).isEqualTo(location);
        }).hasMessageContaining(message);
    }
}
