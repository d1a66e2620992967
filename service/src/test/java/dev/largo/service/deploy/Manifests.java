package dev.largo.service.deploy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Queries on rendered Kubernetes manifests: the containers of the Deployments and the environment each one gets. */
final class Manifests {

    /** One environment variable of a container, and where it is set (for messages). */
    record Variable(String name, String value, String source) {
    }

    record Container(String deployment, String name, String image, Map<String, Variable> environment,
            Map<String, Object> spec, Map<String, Object> podSpec) {

        ProcessKind process() {
            return ProcessKind.ofImage(image);
        }

        String value(String variable) {
            Variable v = environment.get(variable);
            return v == null ? null : v.value();
        }
    }

    private final List<Map<String, Object>> resources;

    Manifests(List<Map<String, Object>> resources) {
        this.resources = List.copyOf(resources);
    }

    /** deploy/k8s/overlays/NAME, rendered by {@link Kustomization}. */
    static Manifests overlay(String name) {
        return new Manifests(Kustomization.render(RepositoryLayout.overlay(name)));
    }

    List<Map<String, Object>> resources() {
        return resources;
    }

    Map<String, Object> resource(String kind, String name) {
        return Kustomization.find(resources, kind, name);
    }

    List<Container> containers() {
        List<Container> containers = new ArrayList<>();
        for (Map<String, Object> resource : resources) {
            if (!"Deployment".equals(Kustomization.kind(resource))) {
                continue;
            }
            Map<String, Object> podSpec = YamlFiles.mapAt(resource, "spec.template.spec");
            for (Object item : YamlFiles.listAt(podSpec, "containers")) {
                Map<String, Object> spec = YamlFiles.map(item, "container");
                containers.add(new Container(Kustomization.name(resource), String.valueOf(spec.get("name")),
                        String.valueOf(spec.get("image")), environment(spec), spec, podSpec));
            }
        }
        return containers;
    }

    Container container(String deployment, String name) {
        return containers().stream().filter(c -> c.deployment().equals(deployment) && c.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalStateException("no container " + name + " in " + deployment));
    }

    /** The data of a ConfigMap, or of a Secret (stringData, and data decoded). */
    Map<String, String> data(String kind, String name) {
        Map<String, Object> resource = resource(kind, name);
        Map<String, String> data = new LinkedHashMap<>();
        if ("Secret".equals(kind)) {
            YamlFiles.mapAt(resource, "data").forEach((k, v) -> data.put(k,
                    new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)));
            YamlFiles.mapAt(resource, "stringData").forEach((k, v) -> data.put(k, String.valueOf(v)));
        } else {
            YamlFiles.mapAt(resource, "data").forEach((k, v) -> data.put(k, String.valueOf(v)));
        }
        return data;
    }

    /** envFrom first, env over it (as the kubelet does). */
    private Map<String, Variable> environment(Map<String, Object> container) {
        Map<String, Variable> environment = new LinkedHashMap<>();
        for (Object item : YamlFiles.listAt(container, "envFrom")) {
            Map<String, Object> source = YamlFiles.map(item, "envFrom");
            String configMap = YamlFiles.stringAt(source, "configMapRef.name");
            String secret = YamlFiles.stringAt(source, "secretRef.name");
            String kind = configMap != null ? "ConfigMap" : "Secret";
            String name = configMap != null ? configMap : secret;
            data(kind, name).forEach((k, v) -> environment.put(k, new Variable(k, v, kind + " " + name)));
        }
        for (Object item : YamlFiles.listAt(container, "env")) {
            Map<String, Object> entry = YamlFiles.map(item, "env");
            String name = String.valueOf(entry.get("name"));
            environment.put(name, new Variable(name, value(entry), "env of container " + container.get("name")));
        }
        return environment;
    }

    private String value(Map<String, Object> entry) {
        if (entry.containsKey("value")) {
            return String.valueOf(entry.get("value"));
        }
        Map<String, Object> from = YamlFiles.mapAt(entry, "valueFrom");
        if (from.containsKey("secretKeyRef")) {
            return data("Secret", YamlFiles.stringAt(from, "secretKeyRef.name")).get(YamlFiles.stringAt(from, "secretKeyRef.key"));
        }
        if (from.containsKey("configMapKeyRef")) {
            return data("ConfigMap", YamlFiles.stringAt(from, "configMapKeyRef.name"))
                    .get(YamlFiles.stringAt(from, "configMapKeyRef.key"));
        }
        if (from.containsKey("fieldRef")) {
            return "$(fieldRef " + YamlFiles.stringAt(from, "fieldRef.fieldPath") + ")";
        }
        throw new IllegalStateException("unsupported env entry " + entry);
    }
}
