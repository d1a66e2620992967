package dev.largo.worker.engine.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open safetensors file: its validated header plus positional reads of single tensors. Every read is
 * sized by the validated header, which in turn is bounded by the file size, so a hostile file can
 * neither make the reader allocate more than the file holds nor read outside it.
 */
public final class SafeTensorsFile implements AutoCloseable {

    /** The reference implementation's bound on header size; a larger header is not a model file. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** The setting that may lower {@link #MAX_HEADER_BYTES} (read by the service and the worker). */
    public static final String HEADER_LIMIT_SETTING = "largo.limits.max-safetensors-header-bytes";

    /** Java arrays cannot be longer than this (a little under Integer.MAX_VALUE). */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FileChannel channel;
    private final SafeTensorsHeader header;

    private SafeTensorsFile(Path path, FileChannel channel, SafeTensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
    }

    /** Opens and validates {@code path}; the caller closes the result. */
    public static SafeTensorsFile open(Path path) throws IOException {
        return open(path, MAX_HEADER_BYTES);
    }

    /** As {@link #open(Path)}, with a tighter bound on the header's length (at most {@link #MAX_HEADER_BYTES}). */
    public static SafeTensorsFile open(Path path, long maxHeaderBytes) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SafeTensorsFile(path, channel, readHeader(channel, maxHeaderBytes));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The header, its length checked against {@code maxHeaderBytes} (and the file's size) before any buffer for
     * it exists. The message of a refusal by {@code maxHeaderBytes} names the setting that holds it.
     */
    static SafeTensorsHeader readHeader(FileChannel channel, long maxHeaderBytes) throws IOException {
        long limit = Math.min(maxHeaderBytes, MAX_HEADER_BYTES);
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafeTensorsFormatException("file has " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > limit) {
            throw new SafeTensorsFormatException("header length " + Long.toUnsignedString(headerLength)
                    + " is outside [2, " + limit + "]" + (limit < MAX_HEADER_BYTES
                            ? "; " + HEADER_LIMIT_SETTING + " is " + limit : ""));
        }
        if (headerLength > fileSize - 8) {
            throw new SafeTensorsFormatException("header length " + headerLength + " exceeds the "
                    + (fileSize - 8) + " bytes after the length field");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        long dataStart = 8 + headerLength;
        return SafeTensorsHeaderParser.parse(headerBytes.array(), dataStart, fileSize - dataStart);
    }

    public Path path() {
        return path;
    }

    public SafeTensorsHeader header() {
        return header;
    }

    /** The tensor's raw little-endian bytes, whatever its dtype. */
    public byte[] readBytes(String name) throws IOException {
        TensorInfo info = header.tensor(name);
        return readRaw(info).array();
    }

    /** A floating-point tensor (F32, F16, BF16 or F64) as float, row-major. */
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = header.tensor(name);
        checkArrayLength(info);
        ByteBuffer raw = readRaw(info);
        float[] out = new float[(int) info.elementCount()];
        switch (info.dtype()) {
            case F32 -> raw.asFloatBuffer().get(out);
            case F64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) raw.getDouble(i * 8);
                }
            }
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToFloat(raw.getShort(i * 2));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16ToFloat(raw.getShort(i * 2));
                }
            }
            default -> throw new SafeTensorsFormatException(name, "dtype " + info.dtype() + " is not floating point");
        }
        return out;
    }

    /** An integer tensor (I64, I32, I16, I8 or U8) widened to long, row-major. */
    public long[] readLongs(String name) throws IOException {
        TensorInfo info = header.tensor(name);
        checkArrayLength(info);
        ByteBuffer raw = readRaw(info);
        long[] out = new long[(int) info.elementCount()];
        switch (info.dtype()) {
            case I64 -> raw.asLongBuffer().get(out);
            case I32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = raw.getInt(i * 4);
                }
            }
            case I16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = raw.getShort(i * 2);
                }
            }
            case I8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = raw.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = raw.get(i) & 0xff;
                }
            }
            default -> throw new SafeTensorsFormatException(name, "dtype " + info.dtype() + " is not an integer type");
        }
        return out;
    }

    private ByteBuffer readRaw(TensorInfo info) throws IOException {
        if (info.byteLength() > MAX_ARRAY_LENGTH) {
            throw new SafeTensorsFormatException(info.name(), info.byteLength()
                    + " bytes do not fit in one Java array");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, buffer, header.dataStart() + info.begin());
        buffer.flip();
        return buffer;
    }

    private static void checkArrayLength(TensorInfo info) throws SafeTensorsFormatException {
        if (info.elementCount() > MAX_ARRAY_LENGTH) {
            throw new SafeTensorsFormatException(info.name(), info.elementCount()
                    + " elements do not fit in one Java array");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long offset = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, offset);
            if (read < 0) {
                throw new EOFException("file ended at byte " + offset + " while reading");
            }
            offset += read;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
