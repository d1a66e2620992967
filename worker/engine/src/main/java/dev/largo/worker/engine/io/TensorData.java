package dev.largo.worker.engine.io;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A tensor ready to be written: dtype, shape and its row-major little-endian bytes.
 */
public record TensorData(DType dtype, long[] shape, byte[] data) {

    public TensorData {
        shape = shape.clone();
        long elements = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, dim);
        }
        if (Math.multiplyExact(elements, (long) dtype.size()) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + elements * dtype.size() + " bytes, got " + data.length);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public static TensorData ofFloats(float[] values, long... shape) {
        return encode(DType.F32, values.length, buffer -> buffer.asFloatBuffer().put(values), shape);
    }

    public static TensorData ofLongs(long[] values, long... shape) {
        return encode(DType.I64, values.length, buffer -> buffer.asLongBuffer().put(values), shape);
    }

    public static TensorData ofInts(int[] values, long... shape) {
        return encode(DType.I32, values.length, buffer -> buffer.asIntBuffer().put(values), shape);
    }

    public static TensorData ofDoubles(double[] values, long... shape) {
        return encode(DType.F64, values.length, buffer -> buffer.asDoubleBuffer().put(values), shape);
    }

    /** {@code count} elements of {@code type}, written little-endian by {@code write}. */
    private static TensorData encode(DType type, int count, Consumer<ByteBuffer> write, long... shape) {
        ByteBuffer buffer = littleEndian((long) count * type.size());
        write.accept(buffer);
        return new TensorData(type, shape, buffer.array());
    }

    /** Unsigned bytes (U8), e.g. image pixels. */
    public static TensorData ofUnsignedBytes(byte[] values, long... shape) {
        return new TensorData(DType.U8, shape, values.clone());
    }

    /**
     * Copies an NDArray to host memory in its own type: float32, float64, int64, int32, int8, uint8 and
     * boolean are supported; other types must be converted by the caller first.
     */
    public static TensorData of(NDArray array) {
        long[] shape = array.getShape().getShape();
        return switch (array.getDataType()) {
            case FLOAT32 -> ofFloats(array.toFloatArray(), shape);
            case FLOAT64 -> ofDoubles(array.toDoubleArray(), shape);
            case INT64 -> ofLongs(array.toLongArray(), shape);
            case INT32 -> ofInts(array.toIntArray(), shape);
            case UINT8 -> new TensorData(DType.U8, shape, array.toByteArray());
            case INT8 -> new TensorData(DType.I8, shape, array.toByteArray());
            case BOOLEAN -> new TensorData(DType.BOOL, shape, array.toByteArray());
            default -> throw new IllegalArgumentException("cannot write NDArray of type " + array.getDataType()
                    + " to safetensors; convert it to float32 first");
        };
    }

    private static ByteBuffer littleEndian(long bytes) {
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(bytes + " bytes do not fit in one array");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
