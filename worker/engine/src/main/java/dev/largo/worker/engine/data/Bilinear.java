package dev.largo.worker.engine.data;

/**
 * Bilinear resampling of one uint8 image with half-pixel centres (PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} without antialiasing), edges clamped.
 */
final class Bilinear {

    private Bilinear() {
    }

    /** Resizes the image starting at {@code offset} of {@code pixels}; returns [outH * outW * c] floats. */
    static float[] resize(byte[] pixels, int offset, int height, int width, int channels, int outHeight, int outWidth) {
        float[] out = new float[outHeight * outWidth * channels];
        float scaleY = (float) height / outHeight;
        float scaleX = (float) width / outWidth;
        for (int y = 0; y < outHeight; y++) {
            float sy = Math.max((y + 0.5f) * scaleY - 0.5f, 0f);
            int y0 = Math.min((int) sy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            float wy = sy - y0;
            for (int x = 0; x < outWidth; x++) {
                float sx = Math.max((x + 0.5f) * scaleX - 0.5f, 0f);
                int x0 = Math.min((int) sx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                float wx = sx - x0;
                for (int c = 0; c < channels; c++) {
                    float p00 = pixels[offset + (y0 * width + x0) * channels + c] & 0xff;
                    float p01 = pixels[offset + (y0 * width + x1) * channels + c] & 0xff;
                    float p10 = pixels[offset + (y1 * width + x0) * channels + c] & 0xff;
                    float p11 = pixels[offset + (y1 * width + x1) * channels + c] & 0xff;
                    float top = p00 + (p01 - p00) * wx;
                    float bottom = p10 + (p11 - p10) * wx;
                    out[(y * outWidth + x) * channels + c] = top + (bottom - top) * wy;
                }
            }
        }
        return out;
    }
}
