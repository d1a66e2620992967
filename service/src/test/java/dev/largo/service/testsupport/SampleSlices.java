package dev.largo.service.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.SafetensorsImageReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small per-class slices of the built-in sample test sets, for tests that train for real in seconds. */
public final class SampleSlices {

    private SampleSlices() {
    }

    /** The built-in sample test set in {@code style} (fashion-test-STYLE.safetensors). */
    public static ImageDataset builtinTestSet(String style) throws Exception {
        Path file = Files.createTempFile("fashion-test-" + style, ".safetensors");
        try (InputStream in = SampleSlices.class.getClassLoader()
                .getResourceAsStream(BuiltinAssets.SAMPLES_DIRECTORY + "fashion-test-" + style + ".safetensors")) {
            assertThat(in).as("built-in test set " + style).isNotNull();
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new SafetensorsImageReader().read(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Of each class, the examples from its {@code skip}-th on, {@code count} of them (in file order). */
    public static ImageDataset perClass(ImageDataset all, int skip, int count) {
        int size = all.imageBytes();
        int[] seen = new int[all.classNames().size()];
        List<Integer> picked = new ArrayList<>();
        for (int n = 0; n < all.count(); n++) {
            int label = all.labels()[n];
            if (seen[label] >= skip && seen[label] < skip + count) {
                picked.add(n);
            }
            seen[label]++;
        }
        byte[] pixels = new byte[picked.size() * size];
        int[] labels = new int[picked.size()];
        for (int k = 0; k < picked.size(); k++) {
            System.arraycopy(all.pixels(), picked.get(k) * size, pixels, k * size, size);
            labels[k] = all.labels()[picked.get(k)];
        }
        return new ImageDataset(picked.size(), all.height(), all.width(), all.channels(), pixels, labels,
                all.classNames());
    }
}
