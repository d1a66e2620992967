package dev.largo.worker.engine.data;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Labelled images held as raw uint8 pixels, N x H x W x C (channels last), the common form every
 * image reader produces and every transform and batcher consumes.
 *
 * @param pixels {@code count * height * width * channels} bytes, unsigned
 * @param labels {@code count} class indices in {@code [0, classNames.size())}
 * @param classNames label names; index = label
 */
public record ImageDataset(int count, int height, int width, int channels, byte[] pixels, int[] labels,
                           List<String> classNames) implements LabelledData {

    public ImageDataset {
        long expected = (long) count * height * width * channels;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected " + expected);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected " + count);
        }
        classNames = List.copyOf(classNames);
    }

    public int imageBytes() {
        return height * width * channels;
    }

    @Override
    public void fingerprint(MessageDigest digest) {
        digest.update(("data:" + count + "x" + height + "x" + width + "x" + channels + ":" + classNames)
                .getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(pixels);
        for (int label : labels) {
            digest.update((byte) label);
            digest.update((byte) (label >>> 8));
        }
    }
}
