package dev.largo.worker.engine.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Builds small image files and archives for the reader tests. */
final class TestFiles {

    private TestFiles() {
    }

    /** A grayscale image whose pixel (y, x) is {@code (seed + 7y + 3x) mod 256}. */
    static BufferedImage gray(int height, int width, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, grayValue(y, x, seed));
            }
        }
        return image;
    }

    static int grayValue(int y, int x, int seed) {
        return (seed + 7 * y + 3 * x) & 0xff;
    }

    /** An RGB image with channel values {@code (seed + 11y + 5x + 60c) mod 256}. */
    static BufferedImage rgb(int height, int width, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (rgbValue(y, x, 0, seed) << 16) | (rgbValue(y, x, 1, seed) << 8)
                        | rgbValue(y, x, 2, seed));
            }
        }
        return image;
    }

    static int rgbValue(int y, int x, int c, int seed) {
        return (seed + 11 * y + 5 * x + 60 * c) & 0xff;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    static byte[] png(BufferedImage image) throws IOException {
        return encode(image, "png");
    }

    static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    static Map<String, byte[]> entries() {
        return new LinkedHashMap<>();
    }
}
