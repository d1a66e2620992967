package dev.largo.worker.engine.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated safetensors header: every tensor's type, shape and byte range, the free-form
 * {@code __metadata__} strings, and where the data section starts in the file.
 *
 * @param dataStart absolute file offset of the first data byte ({@code 8 + header length})
 */
public record SafeTensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {

    public SafeTensorsHeader {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The named tensor's entry; a clear error when the file has no such tensor. */
    public TensorInfo tensor(String name) throws SafeTensorsFormatException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafeTensorsFormatException(name, "no such tensor in file (has " + describeNames() + ")");
        }
        return info;
    }

    private String describeNames() {
        List<String> names = new ArrayList<>(tensors.keySet());
        if (names.size() > 10) {
            return names.subList(0, 10) + " and " + (names.size() - 10) + " more";
        }
        return names.toString();
    }
}
