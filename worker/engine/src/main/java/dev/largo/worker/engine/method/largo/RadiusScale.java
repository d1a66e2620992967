package dev.largo.worker.engine.method.largo;

import java.util.Locale;

/**
 * What unit the radius gamma is measured in (worker/engine/docs/largo.md §2, step 2). With {@link #ABSOLUTE} a
 * row's deviation norm is compared with gamma as it is, so one mu moves the radius of a 384-entry row of A and of
 * an 8-entry row of B by the same absolute amount: the constraint binds on A and hardly on B. The other two
 * divide each row's norm by a per-row scale first, so gamma means the same on every tensor.
 */
public enum RadiusScale {
    /** The deviation norm as it is (FTP's choice, the original default). */
    ABSOLUTE,
    /** Per element: the L1 norm divided by the row's length (its mean absolute deviation), L2 by its square root. */
    PER_ELEMENT,
    /** Relative to where the row started: the norm divided by the same norm of the row's initial value P0. */
    RELATIVE;

    /** Parses "absolute", "per_element", "relative" (any case). */
    public static RadiusScale fromId(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown radius scale '" + id + "'; known: absolute, per_element, relative");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
