package dev.largo.worker.fashion;

import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import dev.largo.worker.engine.data.styles.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The continual benchmark's data as files: {@code train-<style>.safetensors} per task (in {@link Style} order:
 * clean, rotate, invert, noise, blur, contrast), and, in {@link BenchmarkData}'s layout, the first task's
 * {@code validation.safetensors} and every style's {@code test-<style>.safetensors}.
 */
public final class ContinualData {

    private ContinualData() {
    }

    /** Writes every file, cut to the settings' limits. */
    public static Path write(FashionShift shift, ContinualSettings settings, Path directory) throws IOException {
        Files.createDirectories(directory);
        Style[] styles = Style.values();
        for (int t = 0; t < styles.length; t++) {
            int size = settings.trainLimit() == null ? FashionShift.TASK_TRAIN_SIZE : settings.trainLimit();
            DatasetWriter.writeSafetensors(shift.continualTrain(t, styles[t], size), trainFile(directory, styles[t]));
        }
        DatasetWriter.writeSafetensors(BenchmarkData.limit(shift.taskSplits().validation(), settings.validationLimit()),
                directory.resolve("validation.safetensors"));
        for (Style style : styles) {
            DatasetWriter.writeSafetensors(BenchmarkData.limit(shift.taskTest(style), settings.testLimit()),
                    BenchmarkData.testFile(directory, style));
        }
        return directory;
    }

    public static ImageDataset train(Path directory, Style style) throws IOException, InvalidDatasetException {
        return new SafetensorsImageReader().read(trainFile(directory, style));
    }

    private static Path trainFile(Path directory, Style style) {
        return directory.resolve("train-" + style.id() + ".safetensors");
    }
}
