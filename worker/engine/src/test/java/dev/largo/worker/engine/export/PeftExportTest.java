package dev.largo.worker.engine.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.model.ForwardScope;
import dev.largo.worker.engine.method.lora.LoraConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.method.lora.LoraInjector;
import dev.largo.worker.engine.method.lora.LoraLinear;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Exports of an adapted model (factors set as if trained) are checked against the ORIGINAL base weights
 * read back from disk: W0 + exported delta == W_res + s B A, merged-model logits == adapted logits, and the
 * PEFT loader round trip.
 */
class PeftExportTest {

    private static final List<String> LABELS = List.of("a", "b", "c", "d");

    @TempDir
    Path dir;

    private final Random random = new Random(5);

    @Test
    void gaussianAdapterExportsPlainRankRRelativeToW0() throws Exception {
        checkExport(LoraInit.GAUSSIAN);
    }

    @Test
    void svdPrincipalAdapterExportsRank2rRelativeToW0() throws Exception {
        checkExport(LoraInit.SVD_PRINCIPAL);
    }

    @Test
    void svdMinorAdapterExportsRank2rRelativeToW0() throws Exception {
        checkExport(LoraInit.SVD_MINOR);
    }

    @Test
    void mergedModelAndLoaderReproduceTheAdaptedModel() throws Exception {
        checkRoundTrips(LoraInit.GAUSSIAN);
    }

    @Test
    void mergedModelAndLoaderReproduceAnSvdAdaptedModel() throws Exception {
        checkRoundTrips(LoraInit.SVD_PRINCIPAL);
    }

    @Test
    void loaderFailsOnMissingUnexpectedOrMisshapenKeys() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixture f = fixture(manager, LoraInit.GAUSSIAN);
            String b0 = "base_model.model.vit.encoder.layer.0.attention.attention.query.lora_B.weight";
            Path noB = rewrite(f.zip, t -> t.keySet().removeIf(k -> k.endsWith("lora_B.weight")), manager);
            assertLoadFails(f, noB, manager, "missing key " + b0 + " (expected shape (8, 2))");
            Path extra = rewrite(f.zip, t -> t.put("base_model.model.vit.layernorm.weight", manager.ones(new Shape(8))),
                    manager);
            assertLoadFails(f, extra, manager, "unexpected key base_model.model.vit.layernorm.weight");
            Path wrong = rewrite(f.zip, t -> t.put(b0, manager.zeros(new Shape(8, 3))), manager);
            assertLoadFails(f, wrong, manager, "key " + b0 + " has shape (8, 3), expected (8, 2)");
        }
    }

    @Test
    void methodsWithoutAdapterExportAReadmeOnly() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier model = TinyModels.randomModel(TinyModels.vit(1e-12, 3), 1, 0.2, DataType.FLOAT32,
                     manager)) {
            Path zip = dir.resolve("full.zip");
            PeftExporter.ExportedAdapter exported = PeftExporter.export(model, List.of(), "base", "full", zip);
            assertThat(exported.hasAdapter()).isFalse();
            Map<String, byte[]> entries = unzip(zip);
            assertThat(entries.keySet()).containsExactly("README.md");
            assertThat(new String(entries.get("README.md"))).contains("merged model");
            assertThatThrownBy(() -> PeftAdapterLoader.apply(model, zip)).isInstanceOf(InvalidAdapterException.class)
                    .hasMessageContaining("adapter_config.json");
        }
    }

    /** Checks W0 + (alpha'/r') B' A' == W_res + s B A for every adapted layer, and the config's rank and alpha. */
    void checkExport(LoraInit init) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixture f = fixture(manager, init);
            Map<String, byte[]> entries = unzip(f.zip);
            JsonNode config = Json.MAPPER.readTree(entries.get("adapter_config.json"));
            int r = init.isSvd() ? 4 : 2;
            assertThat(config.get("peft_type").asString()).isEqualTo("LORA");
            assertThat(config.get("r").intValue()).isEqualTo(r);
            double scale = config.get("lora_alpha").doubleValue() / r;
            assertThat(scale).isCloseTo(init.isSvd() ? 1.0 : 2.0, within(1e-12));
            assertThat(config.get("modules_to_save").get(0).asString()).isEqualTo("classifier");
            Path weights = dir.resolve("adapter.safetensors");
            Files.write(weights, entries.get("adapter_model.safetensors"));
            Map<String, NDArray> adapter = SafeTensors.loadAsNDArrays(weights, manager);
            Map<String, NDArray> original = SafeTensors.loadAsNDArrays(f.baseWeights, manager);
            assertThat(adapter).hasSize(2 * f.layers.size() + 2);
            for (Map.Entry<String, LoraLinear> entry : f.layers.entrySet()) {
                String path = entry.getKey();
                NDArray a = adapter.get("base_model.model." + path + ".lora_A.weight");
                NDArray b = adapter.get("base_model.model." + path + ".lora_B.weight");
                assertThat(a.getShape().get(0)).isEqualTo(r);
                NDArray exported = original.get(path + ".weight").add(b.matMul(a).mul(scale));
                NDArray trained = entry.getValue().effectiveWeight(manager);
                assertClose(exported.toFloatArray(), trained.toFloatArray(), 2e-6);
            }
            assertThat(adapter.get("base_model.model.classifier.weight").getShape()).isEqualTo(new Shape(4, 8));
        }
    }

    /** The merged model and the adapter applied to a freshly loaded base both reproduce the adapted logits. */
    void checkRoundTrips(LoraInit init) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Fixture f = fixture(manager, init);
            Path merged = dir.resolve("merged");
            MergedModelWriter.write(f.model, merged);
            float[] pixels = pixels();
            float[] adaptedLogits = logits(f.model, pixels);
            try (ImageClassifier reloaded = ModelLoader.loadImage(merged.resolve("config.json"),
                    merged.resolve("model.safetensors"), manager)) {
                assertThat(reloaded.config().labels()).containsExactlyElementsOf(LABELS);
                assertClose(logits(reloaded, pixels), adaptedLogits, 1e-5);
            }
            try (ImageClassifier base = ModelLoader.loadImage(f.baseConfig, f.baseWeights, manager)) {
                Map<String, LoraLinear> applied = PeftAdapterLoader.apply(base, f.zip);
                assertThat(applied.keySet()).containsExactlyElementsOf(f.layers.keySet());
                assertClose(logits(base, pixels), adaptedLogits, 1e-5);
            }
        }
    }

    record Fixture(ImageClassifier model, Map<String, LoraLinear> layers, Path baseConfig, Path baseWeights, Path zip) {
    }

    /** A base model on disk, loaded, adapted with the init, factors randomised, head replaced, exported. */
    Fixture fixture(NDManager manager, LoraInit init) throws Exception {
        ModelConfig config = TinyModels.vit(1e-12, 3);
        Path baseConfig = dir.resolve("config.json");
        Path baseWeights = dir.resolve("model.safetensors");
        Files.writeString(baseConfig, config.toJson());
        SafeTensors.writeNDArrays(baseWeights, TinyModels.randomTensors(config, 3, 0.3, DataType.FLOAT32, manager),
                Map.of());
        ImageClassifier model = ModelLoader.loadImage(baseConfig, baseWeights, manager);
        LoraConfig lora = new LoraConfig(2, 4, LoraConfig.DEFAULT_TARGETS, init);
        Map<String, LoraLinear> layers = LoraInjector.inject(model, lora, 17);
        for (LoraLinear layer : layers.values()) {
            perturb(layer.loraA());
            perturb(layer.loraB());
        }
        model.replaceHead(LABELS, 4);
        Path zip = dir.resolve("adapter-" + init.id() + ".zip");
        PeftExporter.export(model, lora.targetModules(), "tiny-vit", "test", zip);
        return new Fixture(model, layers, baseConfig, baseWeights, zip);
    }

    private void perturb(NDArray array) {
        float[] values = array.toFloatArray();
        for (int i = 0; i < values.length; i++) {
            values[i] += (float) (random.nextGaussian() * 0.2);
        }
        array.set(values);
    }

    private float[] pixels() {
        float[] pixels = new float[5 * 2 * 6 * 6];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return pixels;
    }

    private static float[] logits(ImageClassifier model, float[] pixels) {
        try (ForwardScope scope = ForwardScope.open(model)) {
            return model.logits(scope.manager().create(pixels, new Shape(5, 2, 6, 6))).toFloatArray();
        }
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    private void assertLoadFails(Fixture f, Path zip, NDManager manager, String message) throws Exception {
        try (ImageClassifier base = ModelLoader.loadImage(f.baseConfig, f.baseWeights, manager)) {
            assertThatThrownBy(() -> PeftAdapterLoader.apply(base, zip)).isInstanceOf(InvalidAdapterException.class)
                    .hasMessageContaining(message);
        }
    }

    private Path rewrite(Path zip, Consumer<Map<String, NDArray>> edit, NDManager manager) throws Exception {
        Map<String, byte[]> entries = unzip(zip);
        Path weights = Files.createTempFile(dir, "w", ".safetensors");
        Files.write(weights, entries.get("adapter_model.safetensors"));
        Map<String, NDArray> tensors = new LinkedHashMap<>(SafeTensors.loadAsNDArrays(weights, manager));
        edit.accept(tensors);
        SafeTensors.writeNDArrays(weights, tensors, Map.of());
        entries.put("adapter_model.safetensors", Files.readAllBytes(weights));
        Path out = Files.createTempFile(dir, "edited", ".zip");
        try (OutputStream file = Files.newOutputStream(out); ZipOutputStream zipOut = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zipOut.putNextEntry(new ZipEntry(entry.getKey()));
                zipOut.write(entry.getValue());
                zipOut.closeEntry();
            }
        }
        return out;
    }

    static Map<String, byte[]> unzip(Path zip) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream zipIn = new ZipInputStream(in)) {
            for (ZipEntry entry = zipIn.getNextEntry(); entry != null; entry = zipIn.getNextEntry()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                zipIn.transferTo(bytes);
                entries.put(entry.getName(), bytes.toByteArray());
            }
        }
        return entries;
    }
}
