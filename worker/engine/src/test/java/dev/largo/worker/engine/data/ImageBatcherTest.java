package dev.largo.worker.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBatcherTest {

    @Test
    void normalisesPerChannelIntoNchw() {
        // Two 1x2 RGB images: pixel (x, c) of image i = 10 * i + 100 * c + x.
        byte[] pixels = new byte[2 * 2 * 3];
        for (int i = 0; i < 2; i++) {
            for (int x = 0; x < 2; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[i * 6 + x * 3 + c] = (byte) (10 * i + 100 * c + x);
                }
            }
        }
        ImageDataset data = new ImageDataset(2, 1, 2, 3, pixels, new int[] {1, 0}, List.of("a", "b"));
        float[] mean = {0.1f, 0.2f, 0.3f};
        float[] std = {0.5f, 0.25f, 2f};
        ImageBatcher batcher = new ImageBatcher(1, 2, 3, mean, std);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = batcher.images(data, new int[] {1, 0}, manager);
            assertThat(images.getShape()).isEqualTo(new Shape(2, 3, 1, 2));
            assertThat(images.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] values = images.toFloatArray();
            for (int b = 0; b < 2; b++) {
                int i = b == 0 ? 1 : 0;
                for (int c = 0; c < 3; c++) {
                    for (int x = 0; x < 2; x++) {
                        float raw = 10 * i + 100 * c + x;
                        assertThat(values[b * 6 + c * 2 + x]).isCloseTo((raw / 255f - mean[c]) / std[c], within(1e-6f));
                    }
                }
            }
            NDArray labels = batcher.labels(data, new int[] {1, 0}, manager);
            assertThat(labels.getDataType()).isEqualTo(DataType.INT64);
            assertThat(labels.toLongArray()).containsExactly(0, 1);
        }
    }

    @Test
    void resizesBilinearlyAndRepeatsGrayForRgbModels() {
        // 2x2 gray image [[0, 255], [255, 0]] upsampled to 4x4 with half-pixel centres.
        byte[] pixels = {0, (byte) 255, (byte) 255, 0};
        ImageDataset data = new ImageDataset(1, 2, 2, 1, pixels, new int[] {0}, List.of("a"));
        ImageBatcher batcher = new ImageBatcher(4, 4, 3, new float[] {0f}, new float[] {1f});
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = batcher.images(data, new int[] {0}, manager).toFloatArray();
            // Row 0 (source y clamped to 0): x sources -0.25->0, 0.25, 0.75, 1.25->1.
            float[] row0 = {0f, 0.25f, 0.75f, 1f};
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(values[c * 16 + x]).isCloseTo(row0[x], within(1e-6f));
                }
            }
            // Centre pixel (1, 1): source (0.25, 0.25) -> 0.75*0.75*0 + 2*0.75*0.25*1 + 0.25*0.25*0.
            assertThat(values[16 + 5]).isCloseTo(0.375f, within(1e-6f));
        }
    }

    @Test
    void subsetsAndClassSelection() {
        byte[] pixels = {0, 1, 2, 3, 4};
        ImageDataset data = new ImageDataset(5, 1, 1, 1, pixels, new int[] {0, 1, 2, 1, 0}, List.of("x", "y", "z"));
        ImageDataset picked = ImageDatasets.selectClasses(data, 2, 1);
        assertThat(picked.classNames()).containsExactly("z", "y");
        assertThat(picked.labels()).containsExactly(1, 0, 1);
        assertThat(picked.pixels()).containsExactly(1, 2, 3);
        ImageDataset sub = ImageDatasets.subset(data, new int[] {4, 0});
        assertThat(sub.pixels()).containsExactly(4, 0);
        assertThat(ImageDatasets.shuffledIndices(100, 3)).containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, 100).toArray()).isEqualTo(ImageDatasets.shuffledIndices(100, 3));
    }
}
