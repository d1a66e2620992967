package dev.largo.worker.engine.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point for the safetensors format (https://github.com/huggingface/safetensors): an 8-byte
 * little-endian header length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {}},
 * then the tensors' bytes. Reading validates the whole header before any data is touched.
 */
public final class SafeTensors {

    private SafeTensors() {
    }

    /** Reads and validates only the header: cheap, reads no tensor data. */
    public static SafeTensorsHeader readHeader(Path path) throws IOException {
        return readHeader(path, SafeTensorsFile.MAX_HEADER_BYTES);
    }

    /** As {@link #readHeader(Path)}, refusing a header longer than {@code maxHeaderBytes} before reading it. */
    public static SafeTensorsHeader readHeader(Path path, long maxHeaderBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return SafeTensorsFile.readHeader(channel, maxHeaderBytes);
        }
    }

    /** Opens the file for reading single tensors; the caller closes it. */
    public static SafeTensorsFile open(Path path) throws IOException {
        return SafeTensorsFile.open(path, SafeTensorsFile.MAX_HEADER_BYTES);
    }

    /** As {@link #open(Path)}, refusing a header longer than {@code maxHeaderBytes} before reading it. */
    public static SafeTensorsFile open(Path path, long maxHeaderBytes) throws IOException {
        return SafeTensorsFile.open(path, maxHeaderBytes);
    }

    /**
     * Loads every tensor onto {@code manager}: floating-point types as float32, I64/I32/I16 as int64,
     * U8, I8 and BOOL in their own types. Arrays are named after their tensor.
     */
    public static Map<String, NDArray> loadAsNDArrays(Path path, NDManager manager) throws IOException {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafeTensorsFile file = open(path)) {
            for (TensorInfo info : file.header().tensors().values()) {
                Shape shape = new Shape(info.shape());
                NDArray array = switch (info.dtype()) {
                    case F32, F16, BF16, F64 -> manager.create(file.readFloats(info.name()), shape);
                    case U8 -> manager.create(ByteBuffer.wrap(file.readBytes(info.name())), shape, DataType.UINT8);
                    case I8 -> manager.create(ByteBuffer.wrap(file.readBytes(info.name())), shape, DataType.INT8);
                    case BOOL -> manager.create(ByteBuffer.wrap(file.readBytes(info.name())), shape, DataType.BOOLEAN);
                    case I64, I32, I16 -> manager.create(file.readLongs(info.name()), shape);
                };
                array.setName(info.name());
                out.put(info.name(), array);
            }
        }
        return out;
    }

    /**
     * Writes {@code tensors} with {@code metadata} (may be empty) atomically to {@code path}. The output
     * bytes depend only on the contents, not on map order.
     */
    public static void write(Path path, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        SafeTensorsWriter.write(path, tensors, metadata);
    }

    /** Writes NDArrays (copied to host in their own dtype, see {@link TensorData#of(NDArray)}). */
    public static void writeNDArrays(Path path, Map<String, NDArray> arrays, Map<String, String> metadata)
            throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        arrays.forEach((name, array) -> tensors.put(name, TensorData.of(array)));
        write(path, tensors, metadata);
    }

    /** The bytes {@link #write} would produce, for in-memory use and tests. */
    public static byte[] serialize(Map<String, TensorData> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            SafeTensorsWriter.write(out, tensors, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
