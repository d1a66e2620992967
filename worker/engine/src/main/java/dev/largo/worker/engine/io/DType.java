package dev.largo.worker.engine.io;

import java.util.Optional;

/**
 * The safetensors element types this project reads. The declaration order is the one the reference
 * (Rust) implementation sorts by when it writes a file, so keep it when adding types.
 */
public enum DType {
    BOOL(1),
    U8(1),
    I8(1),
    I16(2),
    F16(2),
    BF16(2),
    I32(4),
    F32(4),
    F64(8),
    I64(8);

    private final int size;

    DType(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloatingPoint() {
        return this == F16 || this == BF16 || this == F32 || this == F64;
    }

    /** The type named {@code name} in a header (case-sensitive, as the format is), if known. */
    public static Optional<DType> fromHeaderName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
