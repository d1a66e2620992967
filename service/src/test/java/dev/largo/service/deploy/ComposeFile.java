package dev.largo.service.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The services of deploy/docker-compose.yml that run LARGO images, with their environment. */
final class ComposeFile {

    /** ${NAME:-default} and ${NAME-default}: compose substitutes the default when the shell does not set NAME. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    record Service(String name, String image, Map<String, String> environment, Map<String, Object> spec) {

        ProcessKind process() {
            return ProcessKind.ofImage(image);
        }
    }

    private final Map<String, Object> compose;

    private ComposeFile(Map<String, Object> compose) {
        this.compose = compose;
    }

    static ComposeFile read(Path file) {
        return new ComposeFile(YamlFiles.document(file));
    }

    static ComposeFile parse(String yaml) {
        return new ComposeFile(YamlFiles.documents(yaml).get(0));
    }

    /** Services whose image is one of ours (the database is not). */
    List<Service> largoServices() {
        List<Service> services = new ArrayList<>();
        YamlFiles.mapAt(compose, "services").forEach((name, value) -> {
            Map<String, Object> spec = YamlFiles.map(value, "service " + name);
            String image = String.valueOf(spec.get("image"));
            if (image.startsWith("largo-")) {
                services.add(new Service(name, image, environment(spec), spec));
            }
        });
        return services;
    }

    Service service(String name) {
        return largoServices().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no LARGO service " + name + " in the compose file"));
    }

    private static Map<String, String> environment(Map<String, Object> spec) {
        Map<String, String> environment = new LinkedHashMap<>();
        Object value = spec.get("environment");
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> environment.put(String.valueOf(k), v == null ? null : interpolate(String.valueOf(v))));
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                environment.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : interpolate(entry.substring(eq + 1)));
            }
        }
        return environment;
    }

    /** The value compose uses when the shell sets none of the variables (the defaults). */
    static String interpolate(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(matcher.group(2) == null ? "" : matcher.group(2)));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
