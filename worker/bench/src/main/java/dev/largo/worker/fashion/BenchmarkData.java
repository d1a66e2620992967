package dev.largo.worker.fashion;

import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.ImageDatasets;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import dev.largo.worker.engine.data.styles.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark's task data as files, written once by the benchmark and read by every run (each run may be its
 * own process): {@code train.safetensors}, {@code validation.safetensors} and {@code test-<style>.safetensors}.
 */
public final class BenchmarkData {

    private final Path directory;

    public BenchmarkData(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Builds the splits from the IDX data, cut to the settings' limits (quick mode), and writes them. */
    public static BenchmarkData write(FashionShift shift, BenchmarkSettings settings, Path directory) throws IOException {
        Files.createDirectories(directory);
        FashionShift.TaskSplits task = shift.taskSplits();
        DatasetWriter.writeSafetensors(limit(task.train(), settings.trainLimit()), directory.resolve("train.safetensors"));
        DatasetWriter.writeSafetensors(limit(task.validation(), settings.validationLimit()),
                directory.resolve("validation.safetensors"));
        for (Style style : Style.values()) {
            DatasetWriter.writeSafetensors(limit(shift.taskTest(style), settings.testLimit()), testFile(directory, style));
        }
        return new BenchmarkData(directory);
    }

    public ImageDataset train() throws IOException, InvalidDatasetException {
        return new SafetensorsImageReader().read(directory.resolve("train.safetensors"));
    }

    public ImageDataset validation() throws IOException, InvalidDatasetException {
        return new SafetensorsImageReader().read(directory.resolve("validation.safetensors"));
    }

    /** Every style's test set, clean (ID) first. */
    public Map<Style, ImageDataset> tests() throws IOException, InvalidDatasetException {
        Map<Style, ImageDataset> tests = new LinkedHashMap<>();
        for (Style style : Style.values()) {
            tests.put(style, new SafetensorsImageReader().read(testFile(directory, style)));
        }
        return tests;
    }

    static Path testFile(Path directory, Style style) {
        return directory.resolve("test-" + style.id() + ".safetensors");
    }

    static ImageDataset limit(ImageDataset data, Integer limit) {
        if (limit == null || limit >= data.count()) {
            return data;
        }
        int[] first = new int[limit];
        for (int i = 0; i < limit; i++) {
            first[i] = i;
        }
        return ImageDatasets.subset(data, first);
    }
}
