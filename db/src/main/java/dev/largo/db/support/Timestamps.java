package dev.largo.db.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Timestamps as PostgreSQL stores them. */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * Now, truncated to microseconds: timestamptz keeps microseconds, so an entity still in memory compares
     * equal to the same row read back (keyset pagination compares created_at values).
     */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
