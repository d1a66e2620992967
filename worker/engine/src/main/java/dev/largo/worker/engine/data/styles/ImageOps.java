package dev.largo.worker.engine.data.styles;

/** Pixel operations behind the styles, on uint8 images stored H x W x C. */
final class ImageOps {

    private ImageOps() {
    }

    static byte toByte(double value) {
        long rounded = Math.round(value);
        return (byte) Math.max(0, Math.min(255, rounded));
    }

    /**
     * Rotates about the image centre ((W-1)/2, (H-1)/2) by {@code degrees} (counter-clockwise on
     * screen, y down), sampling bilinearly; pixels whose source lies outside read as 0.
     */
    static void rotate(byte[] src, byte[] dst, int height, int width, int channels, double degrees) {
        double radians = Math.toRadians(degrees);
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                // Inverse map: where in the source does this output pixel come from?
                double dx = x - cx;
                double dy = y - cy;
                double sx = cos * dx - sin * dy + cx;
                double sy = sin * dx + cos * dy + cy;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double wx = sx - x0;
                double wy = sy - y0;
                for (int c = 0; c < channels; c++) {
                    double value = (1 - wy) * ((1 - wx) * at(src, x0, y0, c, height, width, channels)
                            + wx * at(src, x0 + 1, y0, c, height, width, channels))
                            + wy * ((1 - wx) * at(src, x0, y0 + 1, c, height, width, channels)
                            + wx * at(src, x0 + 1, y0 + 1, c, height, width, channels));
                    dst[(y * width + x) * channels + c] = toByte(value);
                }
            }
        }
    }

    private static int at(byte[] src, int x, int y, int c, int height, int width, int channels) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return 0;
        }
        return src[(y * width + x) * channels + c] & 0xff;
    }

    /** Separable Gaussian blur, kernel radius ceil(3 sigma), normalised, edges clamped. */
    static void gaussianBlur(byte[] src, byte[] dst, int height, int width, int channels, double sigma) {
        double[] kernel = gaussianKernel(sigma);
        int radius = kernel.length / 2;
        double[] rows = new double[src.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int xx = Math.max(0, Math.min(width - 1, x + k));
                        sum += kernel[k + radius] * (src[(y * width + xx) * channels + c] & 0xff);
                    }
                    rows[(y * width + x) * channels + c] = sum;
                }
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int k = -radius; k <= radius; k++) {
                        int yy = Math.max(0, Math.min(height - 1, y + k));
                        sum += kernel[k + radius] * rows[(yy * width + x) * channels + c];
                    }
                    dst[(y * width + x) * channels + c] = toByte(sum);
                }
            }
        }
    }

    static double[] gaussianKernel(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++) {
            kernel[k + radius] = Math.exp(-(k * k) / (2 * sigma * sigma));
            total += kernel[k + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= total;
        }
        return kernel;
    }
}
