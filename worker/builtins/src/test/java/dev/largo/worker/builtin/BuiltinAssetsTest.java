package dev.largo.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.model.vit.VitConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every catalogued built-in exists on the classpath, matches its checksum and loads through the engine. */
class BuiltinAssetsTest {

    private static final long TEN_MB = 10L * 1024 * 1024;

    @Test
    void everySampleDatasetLoadsWithTheCataloguedShapeLabelsAndChecksum(@TempDir Path dir) throws Exception {
        List<BuiltinDataset> datasets = BuiltinAssets.datasets();
        assertThat(datasets).extracting(BuiltinDataset::name).containsExactly("fashion-train", "fashion-val",
                "fashion-test-clean", "fashion-test-rotate", "fashion-test-invert", "fashion-test-noise",
                "fashion-test-blur", "fashion-test-contrast");
        for (BuiltinDataset dataset : datasets) {
            try (InputStream in = dataset.open()) {
                assertThat(Sha256Sums.of(in)).as(dataset.name()).isEqualTo(dataset.sha256());
            }
            ImageDataset data = new SafetensorsImageReader().read(dataset.copyTo(dir.resolve(dataset.fileName())));
            assertThat(data.count()).as(dataset.name()).isEqualTo(dataset.count());
            assertThat(new int[] {data.height(), data.width(), data.channels()}).containsExactly(28, 28, 1);
            assertThat(data.classNames()).containsExactly("Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
            int[] perClass = new int[5];
            Arrays.stream(data.labels()).forEach(label -> perClass[label]++);
            for (int n : perClass) {
                assertThat(n).as(dataset.name() + " has every class").isGreaterThanOrEqualTo(dataset.count() / 10);
            }
            if (dataset.split() == SampleSplit.TEST) {
                assertThat(perClass).containsOnly(BuiltinAssets.TEST_IMAGES_PER_CLASS);
            }
        }
        assertThat(BuiltinAssets.dataset("fashion-test-clean").orElseThrow().kind()).isEqualTo(SplitKind.ID);
        assertThat(BuiltinAssets.dataset("fashion-train").orElseThrow().kind()).isEqualTo(SplitKind.ID);
        assertThat(BuiltinAssets.dataset("fashion-test-invert").orElseThrow().kind()).isEqualTo(SplitKind.OOD);
        assertThat(BuiltinAssets.dataset("fashion-test-invert").orElseThrow().domain()).isEqualTo(Style.INVERT);
        assertThat(BuiltinAssets.dataset("nope")).isEmpty();
    }

    @Test
    void theBaseModelLoadsAsTheRecipeDescribesIt(@TempDir Path dir) throws Exception {
        BuiltinModel model = BuiltinAssets.baseModel();
        assertThat(model.id()).isEqualTo("vit-tiny-fashion");
        Path files = model.copyTo(dir.resolve("model"));
        assertThat(Sha256Sums.of(files.resolve(BuiltinModel.CONFIG))).isEqualTo(model.configSha256());
        assertThat(Sha256Sums.of(files.resolve(BuiltinModel.WEIGHTS))).isEqualTo(model.weightsSha256());
        ModelConfig config = ModelConfig.parse(model.configJson());
        assertThat(config).isInstanceOf(VitConfig.class);
        VitConfig vit = (VitConfig) config;
        assertThat(List.of(vit.hiddenSize(), vit.numHiddenLayers(), vit.numAttentionHeads(), vit.intermediateSize(),
                vit.imageSize(), vit.patchSize(), vit.numChannels())).containsExactly(96, 4, 4, 384, 28, 7, 1);
        assertThat(config.labels()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat");
        try (NDManager manager = NDManager.newBaseManager();
             ImageClassifier loaded = ModelLoader.loadImage(files.resolve(BuiltinModel.CONFIG),
                     files.resolve(BuiltinModel.WEIGHTS), manager)) {
            assertThat(loaded.tensors().keySet()).containsAll(config.expectedTensors().keySet());
        }
    }

    @Test
    void everythingShippedFitsInTenMegabytesAndCarriesTheLicence() throws Exception {
        long total = 0;
        for (BuiltinDataset dataset : BuiltinAssets.datasets()) {
            try (InputStream in = dataset.open()) {
                total += in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        try (InputStream config = BuiltinAssets.baseModel().openConfig();
             InputStream weights = BuiltinAssets.baseModel().openWeights()) {
            total += config.transferTo(java.io.OutputStream.nullOutputStream());
            total += weights.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(total).isLessThan(TEN_MB);
        assertThat(BuiltinAssets.licenseText()).contains("MIT License", "Zalando SE", "Xiao", "Rasul", "Vollgraf",
                "arXiv:1708.07747");
    }
}
