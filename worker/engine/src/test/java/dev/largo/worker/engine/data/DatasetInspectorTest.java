package dev.largo.worker.engine.data;

import static dev.largo.worker.engine.data.TestFiles.gray;
import static dev.largo.worker.engine.data.TestFiles.png;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetInspectorTest {

    @TempDir
    Path dir;

    private final DatasetInspector inspector = new DatasetInspector();

    @Test
    void summarisesAnImageFolderZip() throws Exception {
        Path zip = imageZip();
        assertThat(DatasetFormat.sniff(zip)).isEqualTo(DatasetFormat.IMAGEFOLDER_ZIP);
        DatasetSummary summary = inspector.inspect(zip);
        assertThat(summary.format()).isEqualTo(DatasetFormat.IMAGEFOLDER_ZIP);
        assertThat(summary.taskType()).isEqualTo(TaskType.IMAGE_CLASSIFICATION);
        assertThat(summary.exampleCount()).isEqualTo(3);
        assertThat(summary.classNames()).containsExactly("bag", "coat");
        assertThat(summary.labelCounts()).containsExactly(Map.entry("bag", 2L), Map.entry("coat", 1L));
        assertThat(summary.imageHeight()).isEqualTo(6);
        assertThat(summary.imageWidth()).isEqualTo(5);
        assertThat(summary.channels()).isEqualTo(1);
        assertThat(summary.splits()).containsExactly("test", "train");
    }

    @Test
    void summarisesSafetensorsAndJsonl() throws Exception {
        Path st = safetensors();
        assertThat(DatasetFormat.sniff(st)).isEqualTo(DatasetFormat.SAFETENSORS);
        DatasetSummary summary = inspector.inspect(st);
        assertThat(summary.exampleCount()).isEqualTo(4);
        assertThat(summary.classNames()).containsExactly("a", "b", "c");
        assertThat(summary.labelCounts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 0L), Map.entry("c", 2L));
        assertThat(summary.channels()).isEqualTo(3);

        Path jsonl = jsonl();
        assertThat(DatasetFormat.sniff(jsonl)).isEqualTo(DatasetFormat.JSONL);
        DatasetSummary text = inspector.inspect(jsonl);
        assertThat(text.taskType()).isEqualTo(TaskType.TEXT_CLASSIFICATION);
        assertThat(text.labelCounts()).containsExactly(Map.entry("neg", 1L), Map.entry("pos", 2L));
        assertThat(text.imageHeight()).isNull();
    }

    @Test
    void idxNeedsItsLabelsFile() throws Exception {
        Path images = Files.write(dir.resolve("t-images-idx3-ubyte"),
                IdxReaderTest.idx(new int[] {2, 2, 2}, new byte[8]));
        assertThat(DatasetFormat.sniff(images)).isEqualTo(DatasetFormat.IDX);
        assertThatThrownBy(() -> inspector.inspect(images)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("labels file");
        Files.write(dir.resolve("t-labels-idx1-ubyte"), IdxReaderTest.idx(new int[] {2}, new byte[] {1, 0}));
        assertThat(inspector.inspect(images).labelCounts()).containsExactly(Map.entry("0", 1L), Map.entry("1", 1L));
    }

    @Test
    void needsAtLeastTwoPopulatedClasses() throws Exception {
        Path jsonl = Files.writeString(dir.resolve("one.jsonl"), "{\"text\":\"a\",\"label\":\"x\"}\n");
        assertThatThrownBy(() -> inspector.inspect(jsonl)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("one.jsonl: examples cover 1 class(es)");
        Path ints = Files.writeString(dir.resolve("ints.jsonl"), "{\"text\":\"a\",\"label\":3}\n");
        assertThatThrownBy(() -> inspector.inspect(ints)).hasMessageContaining("cover 1 class");
    }

    @Test
    void unknownFormatIsInvalid() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.bin"), "hello world");
        assertThatThrownBy(() -> inspector.inspect(junk)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("junk.bin: unrecognised format");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> DatasetFormat.sniff(empty)).isInstanceOf(InvalidDatasetException.class);
    }

    /**
     * The service inspects every upload: whatever the bytes, the only failure allowed is
     * InvalidDatasetException (no NullPointerException, IndexOutOfBounds, OutOfMemoryError...).
     */
    @Test
    void corruptedFilesOnlyEverFailWithInvalidDataset() throws Exception {
        Random random = new Random(1234);
        Map<DatasetFormat, byte[]> originals = Map.of(
                DatasetFormat.IMAGEFOLDER_ZIP, Files.readAllBytes(imageZip()),
                DatasetFormat.SAFETENSORS, Files.readAllBytes(safetensors()),
                DatasetFormat.JSONL, Files.readAllBytes(jsonl()),
                DatasetFormat.IDX, IdxReaderTest.gzip(IdxReaderTest.idx(new int[] {3, 4, 4}, new byte[48])));
        Files.write(dir.resolve("f-labels-idx1-ubyte"), IdxReaderTest.idx(new int[] {3}, new byte[] {0, 1, 1}));
        int accepted = 0;
        for (Map.Entry<DatasetFormat, byte[]> original : originals.entrySet()) {
            for (int trial = 0; trial < 150; trial++) {
                byte[] bytes = mutate(original.getValue(), random);
                Path file = Files.write(dir.resolve("f-images-idx3-ubyte"), bytes);
                for (boolean sniff : new boolean[] {false, true}) {
                    try {
                        DatasetSummary summary = sniff ? inspector.inspect(file) : inspector.inspect(file,
                                original.getKey());
                        assertThat(summary.exampleCount()).isPositive();
                        accepted++;
                    } catch (InvalidDatasetException expected) {
                        assertThat(expected.location()).isNotBlank();
                    } catch (Throwable other) {
                        fail("format " + original.getKey() + " trial " + trial + " threw " + other, other);
                    }
                }
            }
        }
        assertThat(accepted).isLessThan(4 * 150 * 2); // most corruptions are caught
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                int at = random.nextInt(bytes.length);
                bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                // Header region: where lengths and sizes live.
                int at = random.nextInt(Math.min(bytes.length, 64));
                bytes[at] = (byte) (random.nextBoolean() ? 0xff : 0x7f);
            }
        }
        return bytes;
    }

    private Path imageZip() throws Exception {
        Map<String, byte[]> entries = TestFiles.entries();
        entries.put("train/bag/1.png", png(gray(6, 5, 1)));
        entries.put("train/coat/1.png", png(gray(6, 5, 2)));
        entries.put("test/bag/2.png", png(gray(6, 5, 3)));
        return TestFiles.zip(dir.resolve("images.zip"), entries);
    }

    private Path safetensors() throws Exception {
        Path file = dir.resolve("images.safetensors");
        DatasetWriter.writeSafetensors(new ImageDataset(4, 2, 3, 3, new byte[4 * 18], new int[] {0, 2, 2, 0},
                List.of("a", "b", "c")), file);
        return file;
    }

    private Path jsonl() throws Exception {
        return Files.write(dir.resolve("texts.jsonl"), ("{\"text\":\"fine\",\"label\":\"pos\"}\n"
                + "{\"text\":\"awful\",\"label\":\"neg\"}\n{\"text\":\"great\",\"label\":\"pos\"}\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
