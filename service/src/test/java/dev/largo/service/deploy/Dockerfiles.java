package dev.largo.service.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.json.JsonParserFactory;

/** The runtime stage (after the last FROM) of a deploy/docker Dockerfile: its ENV and its ENTRYPOINT. */
final class Dockerfiles {

    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

    record Image(String name, Map<String, String> environment, List<String> entrypoint) {

        ProcessKind process() {
            return ProcessKind.ofImage(name);
        }
    }

    private Dockerfiles() {
    }

    /** deploy/docker/NAME.Dockerfile, which builds the image largo-NAME. */
    static Image read(String name) {
        Path file = RepositoryLayout.dockerfile(name);
        List<String> instructions = instructions(file);
        int lastFrom = -1;
        for (int i = 0; i < instructions.size(); i++) {
            if (keyword(instructions.get(i)).equals("FROM")) {
                lastFrom = i;
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        for (String instruction : instructions.subList(lastFrom + 1, instructions.size())) {
            String arguments = instruction.substring(keyword(instruction).length()).trim();
            switch (keyword(instruction)) {
                case "ENV" -> {
                    Matcher matcher = ASSIGNMENT.matcher(arguments);
                    while (matcher.find()) {
                        environment.put(matcher.group(1), matcher.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "ENTRYPOINT" -> entrypoint = JsonParserFactory.getJsonParser().parseList(arguments).stream()
                        .map(String::valueOf).toList();
                default -> {
                }
            }
        }
        return new Image("largo-" + name, environment, entrypoint);
    }

    static List<String> names() {
        try (var files = Files.list(RepositoryLayout.deploy().resolve("docker"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".Dockerfile"))
                    .map(n -> n.substring(0, n.length() - ".Dockerfile".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String keyword(String instruction) {
        int space = instruction.indexOf(' ');
        return (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase();
    }

    /** Instructions with their continuation lines joined, comments dropped. */
    private static List<String> instructions(Path file) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.trim();
                if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    current.append(trimmed);
                    instructions.add(current.toString().trim());
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return instructions;
    }
}
