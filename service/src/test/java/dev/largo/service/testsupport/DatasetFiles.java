package dev.largo.service.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;

/** Small dataset files in the formats users upload, made on the fly. */
public final class DatasetFiles {

    private DatasetFiles() {
    }

    /** An ImageFolder zip: {@code <class>/<n>.png}, grayscale {@code size x size}. */
    public static byte[] imageFolderZip(List<String> classes, int perClass, int size, long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String label : classes) {
                for (int i = 0; i < perClass; i++) {
                    zip.putNextEntry(new ZipEntry(label + "/" + i + ".png"));
                    zip.write(png(size, random));
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code images} uint8 N x size x size x 1 and {@code labels} int64 N, labels cycling over the classes. */
    public static byte[] safetensors(List<String> classes, int count, int size, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * size * size];
        random.nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes.size();
        }
        try {
            Path file = Files.createTempFile("dataset", ".safetensors");
            try {
                DatasetWriter.writeSafetensors(new ImageDataset(count, size, size, 1, pixels, labels, classes), file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON Lines {"text", "label"}, labels cycling over the classes. */
    public static byte[] jsonl(List<String> classes, int rows) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            lines.add("{\"text\": \"example number " + i + "\", \"label\": \"" + classes.get(i % classes.size()) + "\"}");
        }
        return (String.join("\n", lines) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static byte[] truncated(byte[] file) {
        return Arrays.copyOf(file, file.length / 2);
    }

    private static byte[] png(int size, Random random) throws IOException {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = random.nextInt(256);
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
