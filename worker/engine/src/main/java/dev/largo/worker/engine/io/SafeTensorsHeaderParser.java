package dev.largo.worker.engine.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns header bytes into a {@link SafeTensorsHeader}, checking everything a reader later relies on so
 * that no allocation or read is ever sized by an unchecked number: known dtypes, non-negative shapes
 * whose byte size does not overflow, byte ranges that match the shape, lie inside the data section,
 * do not overlap and leave no gap (as the reference implementation requires).
 */
final class SafeTensorsHeaderParser {

    static final String METADATA_KEY = "__metadata__";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensorsHeaderParser() {
    }

    static SafeTensorsHeader parse(byte[] headerBytes, long dataStart, long dataLength)
            throws SafeTensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(headerBytes);
        } catch (JacksonException e) {
            throw new SafeTensorsFormatException("header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsFormatException("header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (entry.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(entry.getValue());
            } else {
                tensors.add(parseTensor(entry.getKey(), entry.getValue(), dataLength));
            }
        }
        checkLayout(tensors, dataLength);
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo info : tensors) {
            byName.put(info.name(), info);
        }
        return new SafeTensorsHeader(byName, metadata, dataStart);
    }

    private static Map<String, String> parseMetadata(JsonNode node) throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw new SafeTensorsFormatException("__metadata__ must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!entry.getValue().isString()) {
                throw new SafeTensorsFormatException(
                        "__metadata__ value for '" + entry.getKey() + "' must be a string");
            }
            metadata.put(entry.getKey(), entry.getValue().stringValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensor(String name, JsonNode node, long dataLength)
            throws SafeTensorsFormatException {
        if (name.isEmpty()) {
            throw new SafeTensorsFormatException("a tensor has an empty name");
        }
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(name, "entry must be an object with dtype, shape, data_offsets");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new SafeTensorsFormatException(name, "unknown field '" + key + "'");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isString()) {
            throw new SafeTensorsFormatException(name, "missing or non-string dtype");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.stringValue()).orElseThrow(() ->
                new SafeTensorsFormatException(name, "unsupported dtype '" + dtypeNode.stringValue() + "'"));
        long[] shape = parseShape(name, node.get("shape"));
        long[] offsets = parseOffsets(name, node.get("data_offsets"));
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new SafeTensorsFormatException(name, "data_offsets begin " + begin + " > end " + end);
        }
        if (end > dataLength) {
            throw new SafeTensorsFormatException(name,
                    "data_offsets end " + end + " beyond the data section (" + dataLength + " bytes)");
        }
        long expectedBytes = byteSize(name, shape, dtype);
        if (end - begin != expectedBytes) {
            throw new SafeTensorsFormatException(name, "data_offsets span " + (end - begin)
                    + " bytes but shape and dtype " + dtype + " need " + expectedBytes);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] parseShape(String name, JsonNode node) throws SafeTensorsFormatException {
        if (node == null || !node.isArray()) {
            throw new SafeTensorsFormatException(name, "missing or non-array shape");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw new SafeTensorsFormatException(name,
                        "shape dimension " + i + " is not a non-negative integer: " + dim);
            }
            shape[i] = dim.longValue();
        }
        return shape;
    }

    private static long[] parseOffsets(String name, JsonNode node) throws SafeTensorsFormatException {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new SafeTensorsFormatException(name, "data_offsets must be an array [begin, end]");
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
                throw new SafeTensorsFormatException(name, "data_offsets[" + i + "] is not a non-negative integer: "
                        + value);
            }
            offsets[i] = value.longValue();
        }
        return offsets;
    }

    private static long byteSize(String name, long[] shape, DType dtype) throws SafeTensorsFormatException {
        long bytes = dtype.size();
        for (long dim : shape) {
            try {
                bytes = Math.multiplyExact(bytes, dim);
            } catch (ArithmeticException e) {
                throw new SafeTensorsFormatException(name, "shape " + java.util.Arrays.toString(shape)
                        + " overflows a 64-bit byte count");
            }
        }
        return bytes;
    }

    /** Tensors, sorted by offset, must tile the data section exactly: no overlap, no gap, no trailing bytes. */
    private static void checkLayout(List<TensorInfo> tensors, long dataLength) throws SafeTensorsFormatException {
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        TensorInfo previous = null;
        for (TensorInfo info : byOffset) {
            if (info.begin() < expectedBegin) {
                throw new SafeTensorsFormatException(info.name(), "data_offsets [" + info.begin() + "," + info.end()
                        + ") overlap tensor '" + previous.name() + "' ending at " + expectedBegin);
            }
            if (info.begin() > expectedBegin) {
                throw new SafeTensorsFormatException(info.name(), "data_offsets begin " + info.begin()
                        + " leaves a gap after byte " + expectedBegin);
            }
            expectedBegin = info.end();
            previous = info;
        }
        if (expectedBegin != dataLength) {
            throw new SafeTensorsFormatException("data section has " + dataLength + " bytes but tensors cover "
                    + expectedBegin);
        }
    }
}
