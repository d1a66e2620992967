package dev.largo.worker.builtin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 checksums in the {@code sha256sum} file format ({@code <hex>  <file name>} per line, sorted by
 * name), so {@code sha256sum -c SHA256SUMS} checks the shipped files without any project code.
 */
public final class Sha256Sums {

    public static final String FILE_NAME = "SHA256SUMS";

    private Sha256Sums() {
    }

    /** Hex SHA-256 of everything {@code in} yields (the stream is read to its end, not closed). */
    public static String of(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in);
        }
    }

    /** Writes {@code directory/SHA256SUMS} for the named files of {@code directory}. */
    public static void write(Path directory, Iterable<String> fileNames) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        for (String name : fileNames) {
            sums.put(name, of(directory.resolve(name)));
        }
        StringBuilder text = new StringBuilder();
        sums.forEach((name, sum) -> text.append(sum).append("  ").append(name).append('\n'));
        Files.writeString(directory.resolve(FILE_NAME), text.toString(), StandardCharsets.UTF_8);
    }

    /** File name to hex checksum. */
    public static Map<String, String> read(InputStream in) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" [ *]", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(FILE_NAME + " line " + number + " is not '<sha256 hex>  <file>': "
                        + line);
            }
            sums.put(parts[1], parts[0]);
        }
        return sums;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
