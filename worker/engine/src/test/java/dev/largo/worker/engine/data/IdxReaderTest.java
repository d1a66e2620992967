package dev.largo.worker.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private final IdxReader reader = new IdxReader();

    @Test
    void readsPlainAndGzipFiles() throws Exception {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (250 - i);
        }
        Path images = write("x-images-idx3-ubyte", idx(new int[] {3, 2, 4}, pixels), false);
        Path labels = write("x-labels-idx1-ubyte.gz", idx(new int[] {3}, new byte[] {0, 9, 4}), true);
        ImageDataset data = reader.read(images, labels, null);
        assertThat(data.count()).isEqualTo(3);
        assertThat(data.height()).isEqualTo(2);
        assertThat(data.width()).isEqualTo(4);
        assertThat(data.channels()).isEqualTo(1);
        assertThat(data.pixels()).isEqualTo(pixels);
        assertThat(data.labels()).containsExactly(0, 9, 4);
        assertThat(data.classNames()).hasSize(10).startsWith("0").endsWith("9");
        assertThat(IdxReader.labelsFileFor(dir.resolve("x-images-idx3-ubyte"))).isEmpty(); // labels are .gz
    }

    @Test
    void rejectsBadMagicSizesAndTrailingData() throws Exception {
        assertInvalid(write("a", new byte[] {0, 0, 9, 1, 0, 0, 0, 0}, false), "magic");
        assertInvalid(write("b", new byte[] {1, 2, 3, 4, 5}, false), "magic");
        assertInvalid(write("c", idx(new int[] {4}, new byte[3]), false), "ends after 3 of 4");
        assertInvalid(write("d", idx(new int[] {2}, new byte[3]), false), "data after the 2 declared bytes");
        assertInvalid(write("e", idx(new int[] {1 << 30, 1 << 30}, new byte[0]), false), "declared size exceeds");
        assertInvalid(write("f", new byte[] {0, 0, 8, 2, 0, 0, 0}, false), "ends inside the dimension sizes");
        assertInvalid(write("g", new byte[] {0, 0, 8, 1, (byte) 0x80, 0, 0, 0}, false), "negative");
        byte[] gz = gzip(idx(new int[] {100}, new byte[100]));
        assertInvalid(write("h.gz", java.util.Arrays.copyOf(gz, gz.length - 12), false), "truncated gzip");
    }

    @Test
    void rejectsMismatchedImagesAndLabels() throws Exception {
        Path images = write("i", idx(new int[] {2, 2, 2}, new byte[8]), false);
        Path threeLabels = write("l", idx(new int[] {3}, new byte[3]), false);
        assertThatThrownBy(() -> reader.read(images, threeLabels, null)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("3 labels for 2 images");
        Path bigLabel = write("m", idx(new int[] {2}, new byte[] {0, 10}), false);
        assertThatThrownBy(() -> reader.read(images, bigLabel, FashionMnist.CLASS_NAMES))
                .isInstanceOf(InvalidDatasetException.class).hasMessageContaining("label 10 of example 1");
    }

    @Test
    void readsTheRealFashionMnistFiles() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist not installed");
        ImageDataset test = FashionMnist.test(FashionMnist.DEFAULT_DIRECTORY);
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(test.height()).isEqualTo(28);
        assertThat(test.width()).isEqualTo(28);
        assertThat(test.channels()).isEqualTo(1);
        int[] counts = new int[10];
        for (int label : test.labels()) {
            counts[label]++;
        }
        assertThat(counts).containsOnly(1000);
        // The first test image is an ankle boot (label 9), as the dataset's documentation shows.
        assertThat(test.labels()[0]).isEqualTo(9);
        assertThat(DatasetFormat.sniff(FashionMnist.DEFAULT_DIRECTORY.resolve("t10k-images-idx3-ubyte.gz")))
                .isEqualTo(DatasetFormat.IDX);
        DatasetSummary summary = new DatasetInspector().inspect(
                FashionMnist.DEFAULT_DIRECTORY.resolve("t10k-images-idx3-ubyte.gz"));
        assertThat(summary.exampleCount()).isEqualTo(10_000);
        assertThat(summary.labelCounts()).containsEntry("9", 1000L);
    }

    private void assertInvalid(Path file, String message) {
        assertThatThrownBy(() -> reader.readArray(file)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining(file.getFileName().toString()).hasMessageContaining(message);
    }

    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.put(new byte[] {0, 0, 8, (byte) dims.length});
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        return Files.write(dir.resolve(name), gzip ? gzip(bytes) : bytes);
    }
}
