package dev.largo.worker.engine.data;

import dev.largo.worker.engine.io.SafeTensorsFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** The dataset file formats the engine reads. */
public enum DatasetFormat {
    /** Zip of {@code [split/]label/image.png|jpg}: {@link ImageFolderZipReader}. */
    IMAGEFOLDER_ZIP,
    /** {@code images} U8 [N,H,W,C] + {@code labels} I64 [N]: {@link SafetensorsImageReader}. */
    SAFETENSORS,
    /** {"text","label"} per line: {@link JsonlTextReader}. */
    JSONL,
    /** IDX unsigned-byte images with their sibling labels file, plain or gzip: {@link IdxReader}. */
    IDX;

    private static final int PROBE_BYTES = 4096;

    /** Recognises a file by its first bytes, whatever its name. */
    public static DatasetFormat sniff(Path file) throws IOException, InvalidDatasetException {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(PROBE_BYTES);
            size = Files.size(file);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K'
                && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
            return IMAGEFOLDER_ZIP;
        }
        if (looksLikeSafetensors(head, size)) {
            return SAFETENSORS;
        }
        if (IdxReader.isIdxMagic(head, head.length) || isGzippedIdx(head)) {
            return IDX;
        }
        if (firstNonBlank(head) == '{') {
            return JSONL;
        }
        throw new InvalidDatasetException(file.getFileName().toString(), "unrecognised format: expected a zip of"
                + " images, a safetensors file, an IDX file (plain or gzip) or JSON Lines");
    }

    private static boolean looksLikeSafetensors(byte[] head, long size) {
        if (head.length < 9) {
            return false;
        }
        long headerLength = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return headerLength >= 2 && headerLength <= SafeTensorsFile.MAX_HEADER_BYTES && headerLength <= size - 8
                && head[8] == '{';
    }

    private static boolean isGzippedIdx(byte[] head) {
        if (head.length < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
            return false;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(head))) {
            byte[] magic = in.readNBytes(4);
            return IdxReader.isIdxMagic(magic, magic.length);
        } catch (IOException e) {
            // The probe may cut the stream anywhere; a gzip whose first 4 bytes cannot be inflated is no IDX.
            return false;
        }
    }

    private static int firstNonBlank(byte[] head) {
        int start = head.length >= 3 && Arrays.equals(Arrays.copyOf(head, 3),
                new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}) ? 3 : 0;
        for (int i = start; i < head.length; i++) {
            if (!Character.isWhitespace(head[i])) {
                return head[i];
            }
        }
        return -1;
    }
}
