package dev.largo.worker.engine.data.styles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.SplitMix64;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StyleTransformTest {

    private static ImageDataset sample(int count, int size) {
        byte[] pixels = new byte[count * size * size];
        SplitMix64 random = new SplitMix64(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        return new ImageDataset(count, size, size, 1, pixels, new int[count], List.of("only"));
    }

    @Test
    void cleanIsIdentityAndInvertTwiceIsIdentity() {
        ImageDataset data = sample(4, 28);
        assertThat(StyleTransform.apply(data, Style.CLEAN, 1).pixels()).isEqualTo(data.pixels());
        ImageDataset inverted = StyleTransform.apply(data, Style.INVERT, 1);
        assertThat(inverted.pixels()[0] & 0xff).isEqualTo(255 - (data.pixels()[0] & 0xff));
        assertThat(StyleTransform.apply(inverted, Style.INVERT, 2).pixels()).isEqualTo(data.pixels());
    }

    @Test
    void contrastMapsTheRangeLinearly() {
        byte[] pixels = {0, (byte) 255, 100};
        ImageDataset data = new ImageDataset(1, 1, 3, 1, pixels, new int[1], List.of("a"));
        byte[] out = StyleTransform.apply(data, Style.CONTRAST, 0).pixels();
        assertThat(out[0] & 0xff).isEqualTo(89);   // 89.25
        assertThat(out[1] & 0xff).isEqualTo(166);  // 76.5 + 89.25 = 165.75
        assertThat(out[2] & 0xff).isEqualTo(119);  // 30 + 89.25
    }

    @Test
    void sameSeedSameBytesDifferentSeedDiffers() {
        ImageDataset data = sample(6, 28);
        for (Style style : Style.values()) {
            assertThat(StyleTransform.apply(data, style, 11).pixels())
                    .as(style.id()).isEqualTo(StyleTransform.apply(data, style, 11).pixels());
        }
        for (Style random : List.of(Style.ROTATE, Style.NOISE)) {
            assertThat(StyleTransform.apply(data, random, 11).pixels())
                    .as(random.id()).isNotEqualTo(StyleTransform.apply(data, random, 12).pixels());
        }
        // Each image has its own stream: styling a subset gives the same bytes as styling it in the whole.
        ImageDataset first = new ImageDataset(1, 28, 28, 1, Arrays.copyOf(data.pixels(), 784), new int[1],
                data.classNames());
        assertThat(StyleTransform.apply(first, Style.NOISE, 11).pixels())
                .isEqualTo(Arrays.copyOf(StyleTransform.apply(data, Style.NOISE, 11).pixels(), 784));
    }

    @Test
    void noiseHasTheConfiguredSpreadBeforeClipping() {
        byte[] pixels = new byte[64 * 64];
        Arrays.fill(pixels, (byte) 128);
        ImageDataset flat = new ImageDataset(1, 64, 64, 1, pixels, new int[1], List.of("a"));
        byte[] out = StyleTransform.apply(flat, Style.NOISE, 3).pixels();
        double sum = 0;
        double inside = 0;
        int insideCount = 0;
        for (byte b : out) {
            int v = b & 0xff;
            sum += v;
            if (v > 0 && v < 255) {
                inside += (v - 128.0) * (v - 128.0);
                insideCount++;
            }
        }
        assertThat(sum / out.length).isCloseTo(128, within(3.0));
        // Clipping removes about 9% of the tails, which shrinks the spread a little below 76.5.
        assertThat(Math.sqrt(inside / insideCount)).isBetween(60.0, 76.5);
    }

    @Test
    void blurPreservesAConstantImageAndSmoothsAnEdge() {
        byte[] pixels = new byte[20 * 20];
        Arrays.fill(pixels, (byte) 77);
        ImageDataset flat = new ImageDataset(1, 20, 20, 1, pixels, new int[1], List.of("a"));
        assertThat(StyleTransform.apply(flat, Style.BLUR, 0).pixels()).containsOnly((byte) 77);

        byte[] edge = new byte[20 * 20];
        for (int y = 0; y < 20; y++) {
            Arrays.fill(edge, y * 20 + 10, y * 20 + 20, (byte) 255);
        }
        byte[] out = StyleTransform.apply(new ImageDataset(1, 20, 20, 1, edge, new int[1], List.of("a")),
                Style.BLUR, 0).pixels();
        double[] kernel = ImageOps.gaussianKernel(Style.BLUR_SIGMA);
        assertThat(kernel).hasSize(9); // radius ceil(3 * 1.2) = 4
        // Pixel x = 10: 255 * (weights of offsets 0..4).
        double expected = 255 * (kernel[4] + kernel[5] + kernel[6] + kernel[7] + kernel[8]);
        assertThat(out[5 * 20 + 10] & 0xff).isEqualTo((int) Math.round(expected));
        assertThat(out[5 * 20] & 0xff).isZero();
        assertThat(out[5 * 20 + 19] & 0xff).isEqualTo(255);
    }

    @Test
    void rotationAnglesAreInRangeWithBothSigns() {
        boolean positive = false;
        boolean negative = false;
        for (int i = 0; i < 200; i++) {
            double angle = Style.rotationDegrees(SplitMix64.forItem(9, i));
            assertThat(Math.abs(angle)).isBetween(30.0, 60.0);
            positive |= angle > 0;
            negative |= angle < 0;
        }
        assertThat(positive && negative).isTrue();
    }

    @Test
    void rotationTurnsAboutTheCentreByTheDrawnAngle() {
        int size = 29; // centre (14, 14)
        byte[] square = new byte[size * size];
        for (int y = 10; y <= 18; y++) {
            for (int x = 10; x <= 18; x++) {
                square[y * size + x] = (byte) 255;
            }
        }
        byte[] rotated = StyleTransform.apply(new ImageDataset(1, size, size, 1, square, new int[1], List.of("a")),
                Style.ROTATE, 21).pixels();
        double[] centroid = centroid(rotated, size);
        assertThat(centroid[0]).isCloseTo(14, within(0.05));
        assertThat(centroid[1]).isCloseTo(14, within(0.05));
        assertThat(mass(rotated)).isCloseTo(mass(square), within(mass(square) * 0.03));
        assertThat(rotated).isNotEqualTo(square);

        // A dot at offset (+8, 0) from the centre ends at (8 cos a, -8 sin a): counter-clockwise on screen.
        byte[] dot = new byte[size * size];
        dot[14 * size + 22] = (byte) 255;
        double angle = Math.toRadians(Style.rotationDegrees(SplitMix64.forItem(21, 0)));
        byte[] turned = StyleTransform.apply(new ImageDataset(1, size, size, 1, dot, new int[1], List.of("a")),
                Style.ROTATE, 21).pixels();
        double[] where = centroid(turned, size);
        assertThat(where[0]).isCloseTo(14 + 8 * Math.cos(angle), within(0.3));
        assertThat(where[1]).isCloseTo(14 - 8 * Math.sin(angle), within(0.3));
    }

    @Test
    void randomStylesAreSeededAndCoverTheList() {
        Style[] chosen = StyleTransform.chooseStyles(600, Arrays.asList(Style.values()), 4);
        assertThat(chosen).isEqualTo(StyleTransform.chooseStyles(600, Arrays.asList(Style.values()), 4));
        for (Style style : Style.values()) {
            assertThat(Arrays.stream(chosen).filter(s -> s == style).count()).as(style.id()).isBetween(60L, 140L);
        }
        ImageDataset data = sample(6, 8);
        ImageDataset mixed = StyleTransform.applyRandom(data, List.of(Style.INVERT), 4);
        assertThat(mixed.pixels()).isEqualTo(StyleTransform.apply(data, Style.INVERT, 4).pixels());
        assertThat(Style.fromId("Rotate")).isEqualTo(Style.ROTATE);
    }

    private static double[] centroid(byte[] pixels, int size) {
        double total = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = pixels[y * size + x] & 0xff;
                total += v;
                sx += v * x;
                sy += v * y;
            }
        }
        return new double[] {sx / total, sy / total};
    }

    private static double mass(byte[] pixels) {
        double total = 0;
        for (byte b : pixels) {
            total += b & 0xff;
        }
        return total;
    }
}
