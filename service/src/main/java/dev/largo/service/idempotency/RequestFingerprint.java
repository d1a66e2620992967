package dev.largo.service.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of what identifies a request for idempotency: the operation and every part of its input, so
 * that reusing a key for a different request is detected. Parts are length-prefixed so that no two different
 * part lists hash alike.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static String of(String operation, Object... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(sha, operation);
        for (Object part : parts) {
            update(sha, part == null ? "\u0000null" : part.toString());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
    }
}
