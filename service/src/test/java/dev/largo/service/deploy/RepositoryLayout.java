package dev.largo.service.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment files are: tests run in {@code service/}, the files live in the repository's {@code deploy/}. */
final class RepositoryLayout {

    private RepositoryLayout() {
    }

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root with deploy/k8s above " + Path.of("").toAbsolutePath());
    }

    static Path deploy() {
        return root().resolve("deploy");
    }

    static Path overlay(String name) {
        return deploy().resolve("k8s/overlays").resolve(name);
    }

    static Path composeFile() {
        return deploy().resolve("docker-compose.yml");
    }

    static Path dockerfile(String name) {
        return deploy().resolve("docker").resolve(name + ".Dockerfile");
    }
}
