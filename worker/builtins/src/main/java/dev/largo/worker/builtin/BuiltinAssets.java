package dev.largo.worker.builtin;

import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.styles.Style;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The catalogue of what ships inside the worker jar so the default mode works offline: the built-in base
 * model {@code vit-tiny-fashion} (built by {@link PretrainBaseModel}) and the sample datasets of the
 * fashion-shift task (built by {@link SampleDatasetBuilder}), and the JSONL datasets of the sentiment-shift
 * task ({@link SentimentShift}, copied from the project's shared data). The service calls this at start to
 * register them; every entry's bytes are classpath resources under {@code builtin/}.
 */
public final class BuiltinAssets {

    public static final String ROOT = "builtin/";
    public static final String SAMPLES_DIRECTORY = ROOT + "samples/";
    /** Fashion-MNIST's MIT licence and attribution; shipped data derives from it. */
    public static final String LICENSE_RESOURCE = ROOT + "LICENSE-fashion-mnist.txt";
    /** The sentiment-shift task's JSONL datasets and their SHA256SUMS. */
    public static final String SENTIMENT_DIRECTORY = ROOT + "sentiment/";
    /** Sources, citations and terms of the sentiment texts. */
    public static final String SENTIMENT_LICENSE_RESOURCE = ROOT + "LICENSE-sentiment.txt";

    public static final String BASE_MODEL_ID = "vit-tiny-fashion";

    /** Images per class in each shipped test set. */
    public static final int TEST_IMAGES_PER_CLASS = 100;

    /** The task's labels (Fashion-MNIST classes 5-9 relabelled 0-4). */
    public static final List<String> TASK_CLASS_NAMES = Arrays.stream(FashionShift.TASK_CLASSES)
            .mapToObj(FashionMnist.CLASS_NAMES::get).toList();
    /** The base model's labels (Fashion-MNIST classes 0-4). */
    public static final List<String> PRETRAIN_CLASS_NAMES = Arrays.stream(FashionShift.PRETRAIN_CLASSES)
            .mapToObj(FashionMnist.CLASS_NAMES::get).toList();

    private static final BuiltinModel BASE_MODEL = new BuiltinModel(BASE_MODEL_ID,
            "Tiny ViT (width 96, depth 4, patch 7, 28x28 grayscale) pretrained on Fashion-MNIST classes 0-4 in six"
                    + " styles (clean, rotate, invert, noise, blur, contrast)");

    private static final List<BuiltinDataset> DATASETS = catalogue();
    private static final List<BuiltinTextDataset> TEXT_DATASETS = textCatalogue();

    private static final Map<String, Map<String, String>> CHECKSUMS = new ConcurrentHashMap<>();

    private BuiltinAssets() {
    }

    public static BuiltinModel baseModel() {
        return BASE_MODEL;
    }

    public static List<BuiltinModel> models() {
        return List.of(BASE_MODEL);
    }

    /** The built-in text model, all-MiniLM-L6-v2 (converted at first start, see {@link BuiltinTextModel}). */
    public static BuiltinTextModel textModel() {
        return BuiltinTextModel.ALL_MINILM_L6_V2;
    }

    /** The licence file that ships with the built-in model {@code modelId}, if it is one. */
    public static Optional<LicenseFile> licenseOf(String modelId) {
        if (modelId.equals(BASE_MODEL_ID)) {
            return Optional.of(new LicenseFile("LICENSE-fashion-mnist.txt", LICENSE_RESOURCE));
        }
        if (modelId.equals(textModel().id())) {
            return Optional.of(textModel().licenseFile());
        }
        return Optional.empty();
    }

    /** Training, validation, then one test set per style (clean first). */
    public static List<BuiltinDataset> datasets() {
        return DATASETS;
    }

    public static Optional<BuiltinDataset> dataset(String name) {
        return DATASETS.stream().filter(dataset -> dataset.name().equals(name)).findFirst();
    }

    /** The sentiment-shift task's texts: training, validation, the ID test, then the OOD tests (Yelp, SST-2). */
    public static List<BuiltinTextDataset> textDatasets() {
        return TEXT_DATASETS;
    }

    public static Optional<BuiltinTextDataset> textDataset(String name) {
        return TEXT_DATASETS.stream().filter(dataset -> dataset.name().equals(name)).findFirst();
    }

    /** Every shipped dataset, the image ones ({@link #datasets()}) first, then {@link #textDatasets()}. */
    public static List<ShippedDataset> allDatasets() {
        List<ShippedDataset> all = new ArrayList<>(DATASETS);
        all.addAll(TEXT_DATASETS);
        return List.copyOf(all);
    }

    /** The Fashion-MNIST licence and attribution text. */
    public static String licenseText() throws IOException {
        return text(LICENSE_RESOURCE);
    }

    /** Where the sentiment texts come from, whom to cite, and on what terms they ship. */
    public static String sentimentLicenseText() throws IOException {
        return text(SENTIMENT_LICENSE_RESOURCE);
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static List<BuiltinTextDataset> textCatalogue() {
        String sources = " (binary: negative, positive)";
        return List.of(
                new BuiltinTextDataset(SentimentShift.TRAIN, SampleSplit.TRAIN, "amazon", 3_000,
                        "Amazon product reviews, 3,000 training rows" + sources),
                new BuiltinTextDataset(SentimentShift.VALIDATION, SampleSplit.VALIDATION, "amazon", 969,
                        "Amazon product reviews, 969 validation rows for choosing hyperparameters" + sources),
                new BuiltinTextDataset(SentimentShift.ID_TEST, SampleSplit.TEST, "amazon", 2_000,
                        "Amazon product reviews, 2,000 in-distribution test rows" + sources),
                new BuiltinTextDataset("yelp-test", SampleSplit.TEST, "yelp", 2_000,
                        "Yelp restaurant reviews, 2,000 out-of-distribution test rows" + sources),
                new BuiltinTextDataset("sst2-test", SampleSplit.TEST, "sst2", 2_000,
                        "SST-2 movie-review phrases, 2,000 out-of-distribution test rows" + sources));
    }

    private static List<BuiltinDataset> catalogue() {
        List<BuiltinDataset> list = new ArrayList<>();
        list.add(new BuiltinDataset("fashion-train", SampleSplit.TRAIN, Style.CLEAN, FashionShift.TASK_TRAIN_SIZE,
                "Fashion-MNIST classes 5-9 (Sandal, Shirt, Sneaker, Bag, Ankle boot), 2,000 clean training images"));
        list.add(new BuiltinDataset("fashion-val", SampleSplit.VALIDATION, Style.CLEAN,
                FashionShift.TASK_VALIDATION_SIZE, "The task's 1,000 clean validation images"));
        for (Style style : Style.values()) {
            int count = TEST_IMAGES_PER_CLASS * FashionShift.TASK_CLASSES.length;
            String what = style == FashionShift.ID_STYLE ? "in-distribution (clean)" : "out-of-distribution (" + style.id() + ")";
            list.add(new BuiltinDataset("fashion-test-" + style.id(), SampleSplit.TEST, style, count,
                    "The task's " + what + " test images, " + TEST_IMAGES_PER_CLASS + " per class"));
        }
        return List.copyOf(list);
    }

    /** A shipped resource by its path under the class path root (the sample builder's test compares against them). */
    public static InputStream open(String resource) throws IOException {
        InputStream in = BuiltinAssets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("built-in resource " + resource + " is missing from the classpath");
        }
        return in;
    }

    static Path copy(String resource, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (InputStream in = open(resource)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /** The checksum of {@code fileName} listed in {@code directory}'s SHA256SUMS. */
    static String checksum(String directory, String fileName) {
        Map<String, String> sums = CHECKSUMS.computeIfAbsent(directory, dir -> {
            try (InputStream in = open(dir + Sha256Sums.FILE_NAME)) {
                return Sha256Sums.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String sum = sums.get(fileName);
        if (sum == null) {
            throw new IllegalStateException(directory + Sha256Sums.FILE_NAME + " lists no " + fileName);
        }
        return sum;
    }
}
