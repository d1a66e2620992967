package dev.largo.service.testsupport;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

/** Hostile or broken files, built byte by byte: what a malformed-input test uploads. */
public final class BadFiles {

    private BadFiles() {
    }

    /** A zip of the given entries, in order; names are written as given (so "../x" stays "../x"). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Entries {@code <class>/<i>.png} of {@code size x size} gray PNGs. */
    public static Map<String, byte[]> images(int classes, int perClass, int size) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                entries.put("c" + c + "/" + i + ".png", png(size, size, c * 31 + i));
            }
        }
        return entries;
    }

    /** A real gray PNG. */
    public static byte[] png(int width, int height, int shade) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (shade + x * 7 + y * 13) & 0xff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A PNG whose header announces {@code width x height} 8-bit gray pixels, followed by one tiny (wrong) data
     * chunk: decoding it would need the announced buffer, so only a reader that checks the header first is safe.
     */
    public static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A safetensors file with this exact JSON header and {@code dataBytes} zero bytes of data. */
    public static byte[] safetensors(String headerJson, int dataBytes) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        return safetensors(header.length, header, dataBytes);
    }

    /** As {@link #safetensors(String, int)} with a length field that may lie about the header. */
    public static byte[] safetensors(long declaredHeaderLength, byte[] header, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declaredHeaderLength).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    /** An image dataset header: {@code images} U8 of {@code imageShape}, {@code labels} I64 [labelCount]. */
    public static String imageDatasetHeader(String imagesDtype, long[] imageShape, int imageBytes, int labelCount) {
        return "{\"images\":{\"dtype\":\"" + imagesDtype + "\",\"shape\":" + java.util.Arrays.toString(imageShape)
                + ",\"data_offsets\":[0," + imageBytes + "]},\"labels\":{\"dtype\":\"I64\",\"shape\":[" + labelCount
                + "],\"data_offsets\":[" + imageBytes + "," + (imageBytes + 8L * labelCount) + "]}}";
    }
}
