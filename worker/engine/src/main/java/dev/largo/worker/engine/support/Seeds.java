package dev.largo.worker.engine.support;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Independent random streams derived from one run seed, one per purpose (a tensor's init, the batch order,
 * a new head). Deriving by name, not by draw order, keeps a tensor's init unchanged when other tensors are
 * added or removed. {@link Random} is used because its algorithm is fixed by the Java specification, so a
 * seed gives the same numbers on every JVM.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A stream for {@code purpose} (e.g. {@code "lora_A:vit.encoder.layer.0.attention.attention.query"}). */
    public static Random stream(long seed, String purpose) {
        return new Random(derive(seed, purpose));
    }

    /** A 64-bit seed mixed from the run seed and a purpose string (FNV-1a, then SplitMix64 finalisation). */
    public static long derive(long seed, String purpose) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h + seed * 0x9e3779b97f4a7c15L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
