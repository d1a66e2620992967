package dev.largo.service.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as plain maps and lists (anchors and {@code <<} merge keys resolved), and paths into them. */
final class YamlFiles {

    private YamlFiles() {
    }

    static List<Map<String, Object>> documents(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (document != null) {
                    documents.add(map(document, file.toString()));
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                documents.add(map(document, "YAML text"));
            }
        }
        return documents;
    }

    static Map<String, Object> document(Path file) {
        List<Map<String, Object>> documents = documents(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(file + " holds " + documents.size() + " YAML documents, expected one");
        }
        return documents.get(0);
    }

    /** The map at {@code path} (keys separated by dots), or an empty map when any part is missing. */
    static Map<String, Object> mapAt(Map<String, Object> root, String path) {
        Object value = at(root, path);
        return value == null ? Map.of() : map(value, path);
    }

    /** The list at {@code path}, or an empty list when any part is missing. */
    static List<Object> listAt(Map<String, Object> root, String path) {
        Object value = at(root, path);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException(path + " is not a list: " + value);
        }
        return new ArrayList<>(list);
    }

    static String stringAt(Map<String, Object> root, String path) {
        Object value = at(root, path);
        return value == null ? null : String.valueOf(value);
    }

    static Object at(Map<String, Object> root, String path) {
        Object current = root;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalStateException(what + " is not a YAML mapping: " + value);
        }
        return new LinkedHashMap<>((Map<String, Object>) value);
    }
}
