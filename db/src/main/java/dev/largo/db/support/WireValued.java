package dev.largo.db.support;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An enum constant with the lower-case text used for it in the database and on the wire. */
public interface WireValued {

    String wireValue();

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
