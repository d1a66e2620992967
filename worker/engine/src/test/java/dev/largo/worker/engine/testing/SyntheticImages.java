package dev.largo.worker.engine.testing;

import dev.largo.worker.engine.data.ImageDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A separable image task: class c brightens one region of a noisy grayscale image (quadrant c of an 8x8
 * image for up to 4 classes), so a working model gets well above chance within a few epochs.
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    public static ImageDataset quadrants(int count, int classes, int size, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * size * size];
        int[] labels = new int[count];
        int half = size / 2;
        for (int n = 0; n < count; n++) {
            int label = n % classes;
            labels[n] = label;
            int rowStart = (label / 2) * half;
            int colStart = (label % 2) * half;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = y >= rowStart && y < rowStart + half && x >= colStart && x < colStart + half;
                    int value = inside ? 150 + random.nextInt(100) : random.nextInt(110);
                    pixels[n * size * size + y * size + x] = (byte) value;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class" + c);
        }
        return new ImageDataset(count, size, size, 1, pixels, labels, names);
    }
}
