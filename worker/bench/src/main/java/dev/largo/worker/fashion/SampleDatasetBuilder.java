package dev.largo.worker.fashion;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.BuiltinDataset;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.builtin.Sha256Sums;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.ImageDatasets;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.support.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Builds the sample datasets of {@link BuiltinAssets#datasets()} from the Fashion-MNIST IDX files: the
 * benchmark's task training and validation splits as they are, and from each style's 5,000-image test set the
 * same seeded, class-balanced subset of images (so the sample test sets show the same garments in every style).
 * Writes one safetensors file per dataset and {@code SHA256SUMS}.
 *
 * <pre>
 * java -cp ... dev.largo.worker.fashion.SampleDatasetBuilder \
 *     [--data /usr/share/datasets/fashion-mnist] --out worker/builtins/src/main/resources/builtin/samples
 * </pre>
 */
public final class SampleDatasetBuilder {

    private SampleDatasetBuilder() {
    }

    /** The command line as picocli reads it. */
    @Command(name = "fashion-shift samples", description = "rebuilds the built-in sample datasets")
    static final class Arguments {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the datasets go")
        Path out;
        @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files")
        Path data = FashionMnist.DEFAULT_DIRECTORY;
    }

    public static void main(String[] args) throws IOException, InvalidDatasetException {
        Arguments arguments = CommandLines.parse(new Arguments(), args);
        Path data = arguments.data;
        Path out = arguments.out;
        FashionShift shift = FashionShift.load(FashionMnistFiles.require(data, true, System.out::println));
        for (BuiltinDataset dataset : build(shift, out)) {
            System.out.printf("%-22s %5d images  %s  %s%n", dataset.fileName(), dataset.count(), dataset.kind().id(),
                    Sha256Sums.of(out.resolve(dataset.fileName())));
        }
    }

    /** Writes every catalogued dataset and SHA256SUMS into {@code out}; returns the catalogue entries written. */
    public static List<BuiltinDataset> build(FashionShift shift, Path out) throws IOException {
        Files.createDirectories(out);
        FashionShift.TaskSplits task = shift.taskSplits();
        int[] testIndices = null;
        List<String> files = new ArrayList<>();
        for (BuiltinDataset dataset : BuiltinAssets.datasets()) {
            ImageDataset data = switch (dataset.split()) {
                case TRAIN -> task.train();
                case VALIDATION -> task.validation();
                case TEST -> {
                    ImageDataset full = shift.taskTest(dataset.domain());
                    if (testIndices == null) {
                        testIndices = balancedSubset(full.labels(), full.classNames().size(),
                                BuiltinAssets.TEST_IMAGES_PER_CLASS, Seeds.derive(FashionShift.DATA_SEED, "sample-test"));
                    }
                    yield ImageDatasets.subset(full, testIndices);
                }
            };
            if (data.count() != dataset.count() || !data.classNames().equals(dataset.classNames())) {
                throw new IllegalStateException(dataset.name() + " came out with " + data.count() + " images of "
                        + data.classNames() + "; the catalogue says " + dataset.count() + " of " + dataset.classNames());
            }
            DatasetWriter.writeSafetensors(data, out.resolve(dataset.fileName()));
            files.add(dataset.fileName());
        }
        Sha256Sums.write(out, files);
        return BuiltinAssets.datasets();
    }

    /**
     * {@code perClass} indices of each class, taken in the order of a seeded permutation, so the subset is
     * balanced and its order mixes the classes.
     */
    static int[] balancedSubset(int[] labels, int classes, int perClass, long seed) {
        int[] order = ImageDatasets.shuffledIndices(labels.length, seed);
        int[] taken = new int[classes];
        int[] picked = new int[classes * perClass];
        int n = 0;
        for (int index : order) {
            if (taken[labels[index]] < perClass) {
                taken[labels[index]]++;
                picked[n++] = index;
            }
        }
        if (n != picked.length) {
            throw new IllegalArgumentException("some class has fewer than " + perClass + " examples");
        }
        return picked;
    }
}
