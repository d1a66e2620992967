package dev.largo.worker.engine.support;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** NDArray helpers that respect DJL's rule that an op's result lives on its first operand's manager. */
public final class Arrays {

    private Arrays() {
    }

    /**
     * A copy of {@code array} owned by {@code manager}. Start computations that involve long-lived arrays
     * from such a copy, so their intermediates land on {@code manager} and not on the long-lived one.
     */
    public static NDArray copyOn(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }

    /**
     * {@code x * factor}, safe on the autograd path. DJL's {@code x.mul(Number)} wraps the number in a tensor
     * over a Java direct buffer and closes it as soon as the op returns, but autograd keeps that tensor for the
     * backward pass (MulBackward saves it), so once the GC frees the buffer the backward pass reads freed
     * memory: NaN or silently wrong gradients at random steps. Here the factor is a libtorch-owned copy, which
     * autograd keeps alive by reference count.
     */
    public static NDArray multiply(NDArray x, double factor) {
        try (NDArray owned = ownedScalar(x, factor)) {
            return x.mul(owned);
        }
    }

    /** {@code x / divisor}, safe on the autograd path (see {@link #multiply}). */
    public static NDArray divide(NDArray x, double divisor) {
        try (NDArray owned = ownedScalar(x, divisor)) {
            return x.div(owned);
        }
    }

    /** A 0-d array of {@code like}'s type on its manager whose storage libtorch allocated (not a Java buffer). */
    private static NDArray ownedScalar(NDArray like, double value) {
        try (NDArray wrapped = like.getManager().create(value)) {
            return wrapped.toType(like.getDataType(), true);
        }
    }

    /** An array of {@code type} (FLOAT32 or FLOAT64) holding {@code values}, owned by {@code manager}. */
    public static NDArray create(double[] values, Shape shape, DataType type, NDManager manager) {
        if (type == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        NDArray array = manager.create(floats, shape);
        return type == DataType.FLOAT32 ? array : array.toType(type, false);
    }

    /** The values of a floating-point array as doubles (any float type). */
    public static double[] toDoubles(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        float[] floats = array.getDataType() == DataType.FLOAT32 ? array.toFloatArray()
                : array.toType(DataType.FLOAT32, false).toFloatArray();
        double[] values = new double[floats.length];
        for (int i = 0; i < floats.length; i++) {
            values[i] = floats[i];
        }
        return values;
    }
}
