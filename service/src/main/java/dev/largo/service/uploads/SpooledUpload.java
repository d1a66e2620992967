package dev.largo.service.uploads;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.largo.service.errors.ApiProblem;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * An uploaded file copied to a private temporary file while it streams in, with its size and SHA-256: the
 * validators need a seekable file (zip central directory, safetensors header) and the upload must never be
 * held whole in memory. {@link #close()} deletes the file, so whatever happens to the request nothing of it
 * is left behind.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class SpooledUpload implements AutoCloseable {

    private static final int BUFFER = 64 * 1024;

    private final Path file;
    private final String filename;
    private final String contentType;
    private final long sizeBytes;
    private final String sha256;

    /**
     * Copies {@code in} (not closed here) to a new file under the spool directory.
     *
     * @throws ApiProblem 413 when the content is longer than {@code maxBytes} (the partial file is deleted)
     */
    public static SpooledUpload spool(InputStream in, String filename, String contentType, UploadProperties limits) {
        long maxBytes = limits.maxSize().toBytes();
        Path file = null;
        try {
            Files.createDirectories(limits.spoolDirectory());
            file = Files.createTempFile(limits.spoolDirectory(), "upload-", ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long total = 0;
            try (DigestInputStream digesting = new DigestInputStream(in, sha);
                    OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                while ((n = digesting.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw ApiProblem.payloadTooLarge(maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return new SpooledUpload(file, filename, contentType, total, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot spool the upload " + filename, io);
            }
            throw new IllegalStateException(e);
        }
    }

    public Path file() {
        return file;
    }

    public String filename() {
        return filename;
    }

    public String contentType() {
        return contentType;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Lower-case hex. */
    public String sha256() {
        return sha256;
    }

    public InputStream open() {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file we cannot delete is left to the OS's temp cleaning; the request's outcome stands
            }
        }
    }
}
