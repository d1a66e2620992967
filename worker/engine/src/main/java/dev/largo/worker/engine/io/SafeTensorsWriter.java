package dev.largo.worker.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files byte-for-byte like the reference implementation: tensors ordered by dtype
 * (widest alignment first, in the reference's dtype order) then name, compact JSON with
 * {@code __metadata__} first and its keys sorted, header padded with spaces to a multiple of 8 bytes.
 * The same inputs therefore always give the same bytes, whatever the map's iteration order.
 */
final class SafeTensorsWriter {

    private SafeTensorsWriter() {
    }

    static void write(Path path, Map<String, TensorData> tensors, Map<String, String> metadata) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path parent = absolute.getParent();
        Path temp = Files.createTempFile(parent, absolute.getFileName().toString(), ".part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
                write(out, tensors, metadata);
            }
            // Readers never see a half-written file (checkpoints are overwritten while a job runs).
            Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void write(OutputStream out, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        List<Map.Entry<String, TensorData>> ordered = new ArrayList<>(tensors.entrySet());
        ordered.sort(Comparator.<Map.Entry<String, TensorData>, DType>comparing(e -> e.getValue().dtype())
                .reversed()
                .thenComparing(Map.Entry::getKey));
        byte[] header = header(ordered, metadata);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(length.array());
        out.write(header);
        for (Map.Entry<String, TensorData> entry : ordered) {
            out.write(entry.getValue().data());
        }
    }

    private static byte[] header(List<Map.Entry<String, TensorData>> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (metadata != null && !metadata.isEmpty()) {
            json.append("\"").append(SafeTensorsHeaderParser.METADATA_KEY).append("\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : new TreeMap<>(metadata).entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                appendString(json, entry.getKey());
                json.append(':');
                appendString(json, entry.getValue());
            }
            json.append("},");
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> entry : ordered) {
            if (entry.getKey().equals(SafeTensorsHeaderParser.METADATA_KEY) || entry.getKey().isEmpty()) {
                throw new IllegalArgumentException("invalid tensor name '" + entry.getKey() + "'");
            }
            TensorData tensor = entry.getValue();
            appendString(json, entry.getKey());
            json.append(":{\"dtype\":\"").append(tensor.dtype().name()).append("\",\"shape\":[");
            long[] shape = tensor.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            long end = offset + tensor.data().length;
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]},");
            offset = end;
        }
        if (json.charAt(json.length() - 1) == ',') {
            json.setLength(json.length() - 1);
        }
        json.append('}');
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        java.util.Arrays.fill(out, bytes.length, padded, (byte) ' ');
        return out;
    }

    /** JSON string escaping as serde_json does it (control characters as short escapes or \\u00XX). */
    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
