package dev.largo.worker.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.io.DType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.TensorData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsImageReaderTest {

    @TempDir
    Path dir;

    private final SafetensorsImageReader reader = new SafetensorsImageReader();

    @Test
    void writerAndReaderRoundTrip() throws Exception {
        byte[] pixels = new byte[3 * 2 * 2 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        ImageDataset data = new ImageDataset(3, 2, 2, 3, pixels, new int[] {2, 0, 1}, List.of("x", "y\"q", "z"));
        Path file = dir.resolve("d.safetensors");
        DatasetWriter.writeSafetensors(data, file);
        ImageDataset back = reader.read(file);
        assertThat(back.count()).isEqualTo(3);
        assertThat(back.height()).isEqualTo(2);
        assertThat(back.width()).isEqualTo(2);
        assertThat(back.channels()).isEqualTo(3);
        assertThat(back.pixels()).isEqualTo(pixels);
        assertThat(back.labels()).containsExactly(2, 0, 1);
        assertThat(back.classNames()).containsExactly("x", "y\"q", "z");
        assertThat(SafeTensors.readHeader(file).tensor("labels").dtype()).isEqualTo(DType.I64);
    }

    @Test
    void withoutClassNamesLabelsNameTheClasses() throws Exception {
        Path file = write(new byte[2 * 4], new long[] {3, 1}, 2, null);
        ImageDataset data = reader.read(file);
        assertThat(data.classNames()).containsExactly("0", "1", "2", "3");
        assertThat(data.channels()).isEqualTo(1);
    }

    @Test
    void rejectsInconsistentTensorsNamingThem() throws Exception {
        assertInvalid(write(new byte[8], new long[] {0, 5}, 2, "[\"a\",\"b\"]"), "labels",
                "label 5 of example 1 is out of range for 2 class names");
        assertInvalid(write(new byte[8], new long[] {0, -1}, 2, null), "labels", "label -1");
        assertInvalid(write(new byte[8], new long[] {0, 1L << 40}, 2, null), "labels", "outside [0, 100000)");
        assertInvalid(write(new byte[8], new long[] {0, 1}, 2, "[\"a\",\"a\"]"), "__metadata__.class_names",
                "'a' appears twice");
        assertInvalid(write(new byte[8], new long[] {0, 1}, 2, "{\"a\":1}"), "__metadata__.class_names",
                "JSON list of strings");
        assertInvalid(write(new byte[8], new long[] {0, 1}, 2, "[\"a\""), "__metadata__.class_names",
                "not valid JSON");

        Map<String, TensorData> noLabels = Map.of("images", TensorData.ofUnsignedBytes(new byte[4], 1, 2, 2, 1));
        assertInvalid(save(noLabels, Map.of()), "labels", "missing tensor");

        Map<String, TensorData> floatImages = new LinkedHashMap<>();
        floatImages.put("images", TensorData.ofFloats(new float[4], 1, 2, 2, 1));
        floatImages.put("labels", TensorData.ofLongs(new long[] {0}, 1));
        assertInvalid(save(floatImages, Map.of()), "images", "must be U8 [N, H, W, C]");

        Map<String, TensorData> fourChannels = new LinkedHashMap<>();
        fourChannels.put("images", TensorData.ofUnsignedBytes(new byte[16], 1, 2, 2, 4));
        fourChannels.put("labels", TensorData.ofLongs(new long[] {0}, 1));
        assertInvalid(save(fourChannels, Map.of()), "images", "channels");

        Map<String, TensorData> countMismatch = new LinkedHashMap<>();
        countMismatch.put("images", TensorData.ofUnsignedBytes(new byte[8], 2, 2, 2, 1));
        countMismatch.put("labels", TensorData.ofLongs(new long[] {0}, 1));
        assertInvalid(save(countMismatch, Map.of()), "labels", "1 labels for 2 images");

        Map<String, TensorData> floatLabels = new LinkedHashMap<>();
        floatLabels.put("images", TensorData.ofUnsignedBytes(new byte[4], 1, 2, 2, 1));
        floatLabels.put("labels", TensorData.ofFloats(new float[] {0}, 1));
        assertInvalid(save(floatLabels, Map.of()), "labels", "integer vector");
    }

    @Test
    void formatErrorsBecomeInvalidDatasetErrors() throws Exception {
        Path file = dir.resolve("broken.safetensors");
        java.nio.file.Files.write(file, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("broken.safetensors");
    }

    private Path write(byte[] pixels, long[] labels, int side, String classNamesJson) throws Exception {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("images", TensorData.ofUnsignedBytes(pixels, labels.length, side, pixels.length / labels.length
                / side, 1));
        tensors.put("labels", TensorData.ofLongs(labels, labels.length));
        return save(tensors, classNamesJson == null ? Map.of() : Map.of("class_names", classNamesJson));
    }

    private Path save(Map<String, TensorData> tensors, Map<String, String> metadata) throws Exception {
        Path file = java.nio.file.Files.createTempFile(dir, "d", ".safetensors");
        SafeTensors.write(file, tensors, metadata);
        return file;
    }

    private void assertInvalid(Path file, String location, String message) {
        assertThatThrownBy(() -> reader.read(file)).isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidDatasetException) e).location()).isEqualTo(location));
    }
}
