package dev.largo.worker.engine.data.styles;

import dev.largo.worker.engine.data.SplitMix64;
import java.util.Locale;

/**
 * The fashion-shift benchmark's image styles (BENCHMARKS.md). Each maps one uint8 image (H x W x C,
 * channels last) to a new one; the random styles draw from the generator they are given, so a style
 * applied with the same generator state gives the same bytes.
 */
public enum Style {
    /** The image unchanged. */
    CLEAN {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            System.arraycopy(src, 0, dst, 0, src.length);
        }
    },
    /** Rotation about the centre by a uniform angle in +-[30, 60] degrees, bilinear, zero fill. */
    ROTATE {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            ImageOps.rotate(src, dst, height, width, channels, rotationDegrees(random));
        }
    },
    /** 255 - x. */
    INVERT {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            for (int i = 0; i < src.length; i++) {
                dst[i] = (byte) (255 - (src[i] & 0xff));
            }
        }
    },
    /** Additive Gaussian noise, sigma 0.3 of the range (76.5 levels), clipped to [0, 255]. */
    NOISE {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            for (int i = 0; i < src.length; i++) {
                dst[i] = ImageOps.toByte((src[i] & 0xff) + NOISE_SIGMA * random.nextGaussian());
            }
        }
    },
    /** Gaussian blur, sigma 1.2, separable, radius ceil(3 sigma), edges clamped. */
    BLUR {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            ImageOps.gaussianBlur(src, dst, height, width, channels, BLUR_SIGMA);
        }
    },
    /** Reduced contrast: x * 0.3 + 0.35 * 255. */
    CONTRAST {
        @Override
        void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random) {
            for (int i = 0; i < src.length; i++) {
                dst[i] = ImageOps.toByte((src[i] & 0xff) * 0.3 + 0.35 * 255);
            }
        }
    };

    public static final double NOISE_SIGMA = 0.3 * 255;
    public static final double BLUR_SIGMA = 1.2;
    public static final double MIN_ROTATION_DEGREES = 30;
    public static final double MAX_ROTATION_DEGREES = 60;

    /**
     * Writes the styled version of {@code src} into {@code dst} (same length, not the same array).
     */
    abstract void apply(byte[] src, byte[] dst, int height, int width, int channels, SplitMix64 random);

    /** The angle ROTATE draws: magnitude uniform in [30, 60] degrees, sign uniform. */
    public static double rotationDegrees(SplitMix64 random) {
        double magnitude = MIN_ROTATION_DEGREES + (MAX_ROTATION_DEGREES - MIN_ROTATION_DEGREES) * random.nextDouble();
        return (random.nextLong() & 1) == 0 ? magnitude : -magnitude;
    }

    /** The lower-case name used in configs and metrics ("rotate"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "rotate" / "ROTATE". */
    public static Style fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown style '" + id + "'; known: clean, rotate, invert, noise, blur,"
                    + " contrast");
        }
    }
}
