package dev.largo.service.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key tokens: {@code lgo_} and 32 random bytes in URL-safe base64. The service stores only their SHA-256:
 * a token of 256 random bits cannot be guessed from its hash, so a slow password hash would add nothing but
 * latency to every request; a short prefix, kept in clear, tells keys apart in lists.
 */
public final class ApiKeyTokens {

    public static final String PREFIX = "lgo_";
    /** Characters of a token kept in clear: the marker and 8 random characters (48 of the 256 bits). */
    static final int SHOWN_CHARACTERS = PREFIX.length() + 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyTokens() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    public static String shownPrefix(String token) {
        return token.substring(0, Math.min(SHOWN_CHARACTERS, token.length()));
    }

    /** Compares in time independent of where the strings differ (the admin key is compared as sent). */
    public static boolean sameSecret(String sent, String expected) {
        return MessageDigest.isEqual(sha256(sent), sha256(expected));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
