package dev.largo.worker.engine.data.styles;

import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.SplitMix64;
import java.util.List;

/**
 * Applies styles to whole datasets. Every image draws from its own generator derived from (seed,
 * image index), so the result does not depend on processing order and one image's randomness never
 * shifts another's.
 */
public final class StyleTransform {

    /** Mixed into the seed when choosing styles, so the choice is independent of the styles' own draws. */
    private static final long STYLE_CHOICE_STREAM = 0x5354594c45L;

    private StyleTransform() {
    }

    /** Every image in {@code style}. */
    public static ImageDataset apply(ImageDataset data, Style style, long seed) {
        byte[] out = new byte[data.pixels().length];
        transformEach(data, out, index -> style, seed);
        return withPixels(data, out);
    }

    /** Each image in one style drawn uniformly from {@code styles} (pretraining on mixed styles). */
    public static ImageDataset applyRandom(ImageDataset data, List<Style> styles, long seed) {
        Style[] chosen = chooseStyles(data.count(), styles, seed);
        byte[] out = new byte[data.pixels().length];
        transformEach(data, out, index -> chosen[index], seed);
        return withPixels(data, out);
    }

    /** The style {@link #applyRandom} gives each image. */
    public static Style[] chooseStyles(int count, List<Style> styles, long seed) {
        if (styles.isEmpty()) {
            throw new IllegalArgumentException("no styles to choose from");
        }
        Style[] chosen = new Style[count];
        for (int i = 0; i < count; i++) {
            chosen[i] = styles.get(SplitMix64.forItem(seed ^ STYLE_CHOICE_STREAM, i).nextInt(styles.size()));
        }
        return chosen;
    }

    private interface StyleOf {
        Style of(int index);
    }

    private static void transformEach(ImageDataset data, byte[] out, StyleOf styleOf, long seed) {
        int bytes = data.imageBytes();
        byte[] src = new byte[bytes];
        byte[] dst = new byte[bytes];
        for (int i = 0; i < data.count(); i++) {
            System.arraycopy(data.pixels(), i * bytes, src, 0, bytes);
            styleOf.of(i).apply(src, dst, data.height(), data.width(), data.channels(), SplitMix64.forItem(seed, i));
            System.arraycopy(dst, 0, out, i * bytes, bytes);
        }
    }

    private static ImageDataset withPixels(ImageDataset data, byte[] pixels) {
        return new ImageDataset(data.count(), data.height(), data.width(), data.channels(), pixels, data.labels(),
                data.classNames());
    }
}
