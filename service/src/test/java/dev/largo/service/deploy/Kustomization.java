package dev.largo.service.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does for the fields deploy/k8s uses: resources
 * and bases, strategic-merge patches (maps merge, lists of named items merge by name, other lists are
 * replaced), image renames and the namespace. The tests need manifests without kubectl (CI machines may lack
 * it); {@code DeployToolsTest} compares this rendering with kubectl's where kubectl exists.
 */
final class Kustomization {

    private Kustomization() {
    }

    static List<Map<String, Object>> render(Path directory) {
        Path file = directory.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + directory);
        }
        Map<String, Object> kustomization = YamlFiles.document(file);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object base : YamlFiles.listAt(kustomization, "bases")) {
            resources.addAll(render(directory.resolve(String.valueOf(base)).normalize()));
        }
        for (Object resource : YamlFiles.listAt(kustomization, "resources")) {
            Path path = directory.resolve(String.valueOf(resource)).normalize();
            resources.addAll(Files.isDirectory(path) ? render(path) : YamlFiles.documents(path));
        }
        for (Object patchFile : YamlFiles.listAt(kustomization, "patchesStrategicMerge")) {
            for (Map<String, Object> patch : YamlFiles.documents(directory.resolve(String.valueOf(patchFile)))) {
                Map<String, Object> target = find(resources, kind(patch), name(patch));
                resources.set(resources.indexOf(target), merge(target, patch));
            }
        }
        for (Object image : YamlFiles.listAt(kustomization, "images")) {
            renameImage(resources, YamlFiles.map(image, "images entry in " + file));
        }
        String namespace = YamlFiles.stringAt(kustomization, "namespace");
        if (namespace != null) {
            resources.replaceAll(r -> {
                if ("Namespace".equals(kind(r))) {
                    return r;
                }
                Map<String, Object> metadata = YamlFiles.mapAt(r, "metadata");
                metadata.put("namespace", namespace);
                Map<String, Object> copy = new LinkedHashMap<>(r);
                copy.put("metadata", metadata);
                return copy;
            });
        }
        return resources;
    }

    static String kind(Map<String, Object> resource) {
        return YamlFiles.stringAt(resource, "kind");
    }

    static String name(Map<String, Object> resource) {
        return YamlFiles.stringAt(resource, "metadata.name");
    }

    static Map<String, Object> find(List<Map<String, Object>> resources, String kind, String name) {
        return resources.stream().filter(r -> kind.equals(kind(r)) && name.equals(name(r))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind + " named " + name));
    }

    /** Strategic merge as far as these manifests need it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> merged = new LinkedHashMap<>(target);
        patch.forEach((key, value) -> {
            Object current = merged.get(key);
            if (current instanceof Map<?, ?> currentMap && value instanceof Map<?, ?> patchMap) {
                merged.put(key, merge((Map<String, Object>) currentMap, (Map<String, Object>) patchMap));
            } else if (current instanceof List<?> currentList && value instanceof List<?> patchList
                    && isNamedList(currentList) && isNamedList(patchList)) {
                merged.put(key, mergeByName((List<Object>) currentList, (List<Object>) patchList));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static boolean isNamedList(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(item -> item instanceof Map<?, ?> m && m.get("name") != null);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> mergeByName(List<Object> target, List<Object> patch) {
        List<Object> merged = new ArrayList<>(target);
        for (Object item : patch) {
            Map<String, Object> patchItem = (Map<String, Object>) item;
            int index = -1;
            for (int i = 0; i < merged.size(); i++) {
                if (Objects.equals(((Map<String, Object>) merged.get(i)).get("name"), patchItem.get("name"))) {
                    index = i;
                }
            }
            if (index < 0) {
                merged.add(patchItem);
            } else {
                merged.set(index, merge((Map<String, Object>) merged.get(index), patchItem));
            }
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static void renameImage(List<Map<String, Object>> resources, Map<String, Object> image) {
        String name = String.valueOf(image.get("name"));
        for (Map<String, Object> resource : resources) {
            for (Object container : YamlFiles.listAt(resource, "spec.template.spec.containers")) {
                Map<String, Object> spec = (Map<String, Object>) container;
                String current = String.valueOf(spec.get("image"));
                int colon = current.lastIndexOf(':');
                String repository = colon < 0 ? current : current.substring(0, colon);
                String tag = colon < 0 ? null : current.substring(colon + 1);
                if (repository.equals(name)) {
                    String newName = image.containsKey("newName") ? String.valueOf(image.get("newName")) : repository;
                    String newTag = image.containsKey("newTag") ? String.valueOf(image.get("newTag")) : tag;
                    spec.put("image", newTag == null ? newName : newName + ":" + newTag);
                }
            }
        }
    }
}
