package dev.largo.worker.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private Path pythonReference() throws IOException {
        Path file = dir.resolve("python-reference.safetensors");
        try (InputStream in = Objects.requireNonNull(
                getClass().getResourceAsStream("/safetensors/python-reference.safetensors"))) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void readsEveryDtypeOfAFileWrittenByThePythonLibrary() throws IOException {
        try (SafeTensorsFile file = SafeTensors.open(pythonReference())) {
            SafeTensorsHeader header = file.header();
            assertThat(header.metadata()).containsEntry("class_names", "[\"a\\\"b\", \"\u00e9\"]\tx");
            assertThat(header.tensor("weight").shape()).containsExactly(2, 3);
            assertThat(file.readFloats("weight")).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);
            assertThat(file.readLongs("ids")).containsExactly(-3, 0, 1L << 40);
            assertThat(file.readBytes("pixels")).containsExactly(0, 127, (byte) 128, (byte) 255);
            assertThat(file.readLongs("pixels")).containsExactly(0, 127, 128, 255);
            assertThat(file.readFloats("half")).containsExactly(1.5f, -2f, 0x1p-14f, 0x1p-24f, 65504f);
            assertThat(file.readFloats("double")).containsExactly(Float.POSITIVE_INFINITY, -0.25f);
            assertThat(file.readLongs("int32")).containsExactly(-7, Integer.MAX_VALUE);
            assertThat(file.readLongs("int16")).containsExactly(-32768, 5);
            assertThat(file.readLongs("int8")).containsExactly(-128, 127);
            assertThat(file.readBytes("mask")).containsExactly(1, 0, 1);
            assertThat(header.tensor("empty").shape()).containsExactly(0, 4);
            assertThat(file.readFloats("empty")).isEmpty();
            assertThat(header.tensor("scalar").rank()).isZero();
            assertThat(file.readFloats("scalar")).containsExactly(3.25f);
            assertThatThrownBy(() -> file.readFloats("ids")).hasMessageContaining("'ids'")
                    .hasMessageContaining("not floating point");
            assertThatThrownBy(() -> file.readFloats("missing")).hasMessageContaining("'missing'")
                    .hasMessageContaining("no such tensor");
        }
    }

    @Test
    void writerReproducesThePythonLibrarysBytes() throws IOException {
        byte[] expected = Files.readAllBytes(pythonReference());
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        // Deliberately not in file order: the writer's ordering must not depend on the map's.
        tensors.put("weight", TensorData.ofFloats(new float[] {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f}, 2, 3));
        tensors.put("scalar", TensorData.ofFloats(new float[] {3.25f}));
        tensors.put("pixels", TensorData.ofUnsignedBytes(new byte[] {0, 127, (byte) 128, (byte) 255}, 2, 2));
        tensors.put("ids", TensorData.ofLongs(new long[] {-3, 0, 1L << 40}, 3));
        tensors.put("mask", new TensorData(DType.BOOL, new long[] {3}, new byte[] {1, 0, 1}));
        tensors.put("int8", new TensorData(DType.I8, new long[] {2}, new byte[] {-128, 127}));
        tensors.put("int16", new TensorData(DType.I16, new long[] {2}, le(4, b -> b.putShort((short) -32768)
                .putShort((short) 5))));
        tensors.put("int32", TensorData.ofInts(new int[] {-7, Integer.MAX_VALUE}, 2));
        tensors.put("half", new TensorData(DType.F16, new long[] {5}, le(10, b -> b.putShort((short) 0x3e00)
                .putShort((short) 0xc000).putShort((short) 0x0400).putShort((short) 0x0001)
                .putShort((short) 0x7bff))));
        tensors.put("double", TensorData.ofDoubles(new double[] {1e300, -0.25}, 2));
        tensors.put("empty", TensorData.ofFloats(new float[0], 0, 4));
        Map<String, String> metadata = Map.of("class_names", "[\"a\\\"b\", \"\u00e9\"]\tx");

        assertThat(SafeTensors.serialize(tensors, metadata)).isEqualTo(expected);
        Path written = dir.resolve("ours.safetensors");
        SafeTensors.write(written, tensors, metadata);
        assertThat(Files.readAllBytes(written)).isEqualTo(expected);
    }

    @Test
    void metadataKeysAreWrittenSortedSoOutputIsDeterministic() {
        Map<String, TensorData> tensors = Map.of("x", TensorData.ofFloats(new float[] {1f}, 1));
        Map<String, String> a = new LinkedHashMap<>();
        a.put("zeta", "1");
        a.put("alpha", "2");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("alpha", "2");
        b.put("zeta", "1");
        byte[] bytes = SafeTensors.serialize(tensors, a);
        assertThat(bytes).isEqualTo(SafeTensors.serialize(tensors, b));
        String header = new String(bytes, 8, bytes.length - 8 - 4, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"alpha\":\"2\",\"zeta\":\"1\"},\"x\":");
        assertThat((header.length()) % 8).isZero();
    }

    @Test
    void ndArraysRoundTripThroughAFile() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 4, 5));
            NDArray step = manager.create(new long[] {42});
            NDArray bytes = manager.create(new byte[] {1, (byte) 200}).toType(DataType.UINT8, false);
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            arrays.put("w", weight);
            arrays.put("step", step);
            arrays.put("u8", bytes);
            Path file = dir.resolve("nd.safetensors");
            SafeTensors.writeNDArrays(file, arrays, Map.of("note", "round trip"));

            SafeTensorsHeader header = SafeTensors.readHeader(file);
            assertThat(header.names()).containsExactlyInAnyOrder("w", "step", "u8");
            assertThat(header.tensor("u8").dtype()).isEqualTo(DType.U8);
            assertThat(header.metadata()).containsEntry("note", "round trip");
            Map<String, NDArray> loaded = SafeTensors.loadAsNDArrays(file, manager);
            assertThat(loaded.get("w").getShape()).isEqualTo(weight.getShape());
            assertThat(loaded.get("w").toFloatArray()).containsExactly(weight.toFloatArray());
            assertThat(loaded.get("step").toLongArray()).containsExactly(42);
            assertThat(loaded.get("u8").getDataType()).isEqualTo(DataType.UINT8);
            assertThat(loaded.get("u8").toType(DataType.INT64, false).toLongArray()).containsExactly(1, 200);
            assertThat(loaded.get("step").getDataType()).isEqualTo(DataType.INT64);
        }
    }

    @Test
    void bfloat16IsWidenedExactly() throws IOException {
        // bf16 is the top half of a float32: 1.0 = 0x3f80, -2.5 = 0xc020, 3.0e38 ~ 0x7f62.
        byte[] data = le(6, b -> b.putShort((short) 0x3f80).putShort((short) 0xc020).putShort((short) 0x7f62));
        Path file = dir.resolve("bf16.safetensors");
        SafeTensors.write(file, Map.of("b", new TensorData(DType.BF16, new long[] {3}, data)), Map.of());
        try (SafeTensorsFile reader = SafeTensors.open(file)) {
            assertThat(reader.readFloats("b")).containsExactly(1f, -2.5f, Float.intBitsToFloat(0x7f620000));
        }
    }

    // ---- malformed files: each must be rejected with a message naming the fault ----

    @Test
    void rejectsFileShorterThanTheLengthField() throws IOException {
        assertRejected(new byte[] {1, 0, 0}, "too short");
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        byte[] file = raw(1000, "{}");
        assertRejected(file, "exceeds");
    }

    @Test
    void rejectsAbsurdHeaderLengthWithoutAllocatingIt() throws IOException {
        byte[] file = raw(Long.MAX_VALUE, "{}");
        assertRejected(file, "header length " + Long.MAX_VALUE + " is outside");
        assertRejected(raw(-1L, "{}"), "18446744073709551615");
    }

    @Test
    void rejectsHeaderThatIsNotJson() throws IOException {
        assertRejected(file("{\"a\": {\"dtype\": \"F32\",", 0), "not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotAnObject() throws IOException {
        assertRejected(file("[1, 2]", 0), "must be a JSON object");
    }

    @Test
    void rejectsTrailingGarbageAfterTheHeaderObject() throws IOException {
        assertRejected(file("{} {}", 0), "not valid JSON");
    }

    @Test
    void rejectsUnknownDtype() throws IOException {
        assertRejected(file(tensor("w", "F8_E4M3", "[2]", 0, 2), 2), "tensor 'w': unsupported dtype 'F8_E4M3'");
    }

    @Test
    void rejectsNegativeDimension() throws IOException {
        assertRejected(file(tensor("w", "F32", "[-1, 2]", 0, 0), 0), "tensor 'w': shape dimension 0");
    }

    @Test
    void rejectsNonIntegerDimension() throws IOException {
        assertRejected(file(tensor("w", "F32", "[1.5]", 0, 4), 4), "tensor 'w': shape dimension 0");
        assertRejected(file(tensor("w", "F32", "[99999999999999999999999]", 0, 4), 4), "shape dimension 0");
    }

    @Test
    void rejectsShapeWhoseByteCountOverflows() throws IOException {
        assertRejected(file(tensor("w", "F32", "[4294967296, 4294967296]", 0, 4), 4), "tensor 'w'", "overflows");
    }

    @Test
    void rejectsOffsetsBeyondTheDataSection() throws IOException {
        assertRejected(file(tensor("w", "F32", "[4]", 0, 16), 8), "tensor 'w'", "beyond the data section");
    }

    @Test
    void rejectsReversedOffsets() throws IOException {
        assertRejected(file(tensor("w", "F32", "[1]", 8, 4), 8), "tensor 'w'", "begin 8 > end 4");
    }

    @Test
    void rejectsOffsetsThatDisagreeWithShape() throws IOException {
        assertRejected(file(tensor("w", "F32", "[2, 2]", 0, 12), 12), "tensor 'w'", "span 12 bytes", "need 16");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        String header = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}";
        assertRejected(file(header, 12), "tensor 'b'", "overlap tensor 'a'");
    }

    @Test
    void rejectsGapsAndUncoveredTrailingBytes() throws IOException {
        String gap = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 8, 12) + "}";
        assertRejected(file(gap, 12), "tensor 'b'", "gap");
        assertRejected(file(tensor("a", "F32", "[1]", 0, 4), 9), "data section has 9 bytes but tensors cover 4");
    }

    @Test
    void rejectsDuplicateTensorNames() throws IOException {
        String header = "{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8) + "}";
        assertRejected(file(header, 8), "not valid JSON", "Duplicate");
    }

    @Test
    void rejectsMissingOrMalformedFields() throws IOException {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w'", "data_offsets");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":7,\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "shape");
        assertRejected(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w'", "dtype");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
                "tensor 'w'", "unknown field 'x'");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
                "tensor 'w'", "[begin, end]");
        assertRejected(file("{\"w\":[1,2]}", 4), "tensor 'w'", "must be an object");
    }

    @Test
    void rejectsNonStringMetadata() throws IOException {
        assertRejected(file("{\"__metadata__\":{\"n\":1}}", 0), "__metadata__ value for 'n'");
        assertRejected(file("{\"__metadata__\":[]}", 0), "__metadata__ must be an object");
    }

    @Test
    void emptyFileWithOnlyMetadataIsValid() throws IOException {
        Path path = dir.resolve("meta.safetensors");
        Files.write(path, file("{\"__metadata__\":{\"k\":\"v\"}}", 0));
        SafeTensorsHeader header = SafeTensors.readHeader(path);
        assertThat(header.tensors()).isEmpty();
        assertThat(header.metadata()).containsEntry("k", "v");
    }

    private void assertRejected(byte[] bytes, String... messageParts) throws IOException {
        Path path = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(path, bytes);
        var thrown = assertThatThrownBy(() -> SafeTensors.readHeader(path))
                .isInstanceOf(SafeTensorsFormatException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "{" + entry(name, dtype, shape, begin, end) + "}";
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":["
                + begin + "," + end + "]}";
    }

    /** A well-framed file: correct header length, then {@code dataBytes} zero bytes of data. */
    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).array();
    }

    private static byte[] raw(long declaredLength, String header) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(declaredLength).put(json).array();
    }

    private static byte[] le(int size, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buffer);
        return buffer.array();
    }
}
