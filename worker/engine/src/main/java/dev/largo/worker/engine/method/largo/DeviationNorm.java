package dev.largo.worker.engine.method.largo;

import java.util.Locale;

/** How the deviation from the pretrained value is measured (worker/engine/docs/largo.md §2, step 2). */
public enum DeviationNorm {
    /** Per-row L1 norm, as FTP (the default). */
    L1_ROW,
    /** Per-row L2 norm. */
    L2_ROW,
    /** One L2 norm over the whole tensor: the tensor is a single "row". */
    FROBENIUS;

    public boolean rowWise() {
        return this != FROBENIUS;
    }

    /** Parses "l1_row", "l2_row", "frobenius" (any case). */
    public static DeviationNorm fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown norm '" + id + "'; known: l1_row, l2_row, frobenius");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
