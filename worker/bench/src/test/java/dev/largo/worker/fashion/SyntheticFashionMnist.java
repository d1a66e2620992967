package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.FashionMnist;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.SplitMix64;

/**
 * Fashion-MNIST-shaped datasets (28x28x1, the 10 class names) for tests that must not depend on the real
 * files. Image i has class i mod 10, its index in the first three bytes (so tests can tell images apart)
 * and seeded random pixels elsewhere.
 */
final class SyntheticFashionMnist {

    private SyntheticFashionMnist() {
    }

    static ImageDataset of(int perClass, long seed) {
        int count = perClass * 10;
        byte[] pixels = new byte[count * 784];
        int[] labels = new int[count];
        SplitMix64 random = new SplitMix64(seed);
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
            for (int p = 3; p < 784; p++) {
                pixels[i * 784 + p] = (byte) random.nextInt(256);
            }
            pixels[i * 784] = (byte) (i >>> 16);
            pixels[i * 784 + 1] = (byte) (i >>> 8);
            pixels[i * 784 + 2] = (byte) i;
        }
        return new ImageDataset(count, 28, 28, 1, pixels, labels, FashionMnist.CLASS_NAMES);
    }

    /** The index stored in image {@code i} of a clean dataset made by {@link #of}. */
    static int id(ImageDataset data, int i) {
        byte[] p = data.pixels();
        return ((p[i * 784] & 0xff) << 16) | ((p[i * 784 + 1] & 0xff) << 8) | (p[i * 784 + 2] & 0xff);
    }
}
