package dev.largo.db.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum constant with the lower-case text used for it in the database and on the wire: its name in lower case
 * ({@code IMAGEFOLDER_ZIP} is {@code imagefolder_zip}), so a constant cannot drift from its stored value.
 */
public interface WireValued {

    default String wireValue() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose wire value is {@code value}; a clear error naming the allowed values otherwise. */
    static <E extends Enum<E> & WireValued> E fromWire(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wireValue().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value + "', expected one of "
                + Arrays.stream(type.getEnumConstants()).map(WireValued::wireValue).collect(Collectors.joining(", ")));
    }
}
