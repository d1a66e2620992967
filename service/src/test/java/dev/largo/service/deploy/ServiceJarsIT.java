package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The two service jars {@code package} builds: the default one (README command 1) carries the in-process worker
 * and libtorch; the API-only one, which the service image runs, carries neither but keeps the engine that
 * inspects uploads and the built-in assets.
 */
class ServiceJarsIT {

    @Test
    void theDefaultJarCarriesTheWorkerAndLibtorch() throws IOException {
        List<String> libraries = libraries(jar("largo.service.jar", "service/target/largo-service.jar"));
        assertThat(libraries).anyMatch(l -> l.startsWith("worker-runtime-"))
                .anyMatch(l -> l.startsWith("pytorch-native-"))
                .anyMatch(l -> l.startsWith("worker-engine-"));
    }

    @Test
    void theApiJarCarriesTheEngineButNeitherTheWorkerNorLibtorch() throws IOException {
        Path api = jar("largo.service.api.jar", "service/target/largo-service-api.jar");
        List<String> libraries = libraries(api);
        assertThat(libraries).noneMatch(l -> l.startsWith("worker-runtime-"))
                .noneMatch(l -> l.startsWith("pytorch-native-"))
                .anyMatch(l -> l.startsWith("worker-engine-"))
                .anyMatch(l -> l.startsWith("worker-builtins-"));
        // What leaving the worker out saves is at least libtorch itself (110 MB of the default jar).
        Path full = jar("largo.service.jar", "service/target/largo-service.jar");
        assertThat(Files.size(api)).as("the API jar's size").isLessThanOrEqualTo(
                Files.size(full) - librarySize(full, "pytorch-native-"));
    }

    /** The stored size of the first library in {@code jar} whose name starts with {@code prefix}. */
    private static long librarySize(Path jar, String prefix) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().filter(e -> e.getName().startsWith("BOOT-INF/lib/" + prefix))
                    .mapToLong(e -> e.getCompressedSize()).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "* library in " + jar));
        }
    }

    /** Both start the service itself (a jar repackaged twice would start the launcher of the inner jar). */
    @Test
    void bothJarsStartTheServiceApplication() throws IOException {
        for (Path jar : List.of(jar("largo.service.jar", "service/target/largo-service.jar"),
                jar("largo.service.api.jar", "service/target/largo-service-api.jar"))) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Start-Class")).as("Start-Class of %s", jar)
                        .isEqualTo("dev.largo.service.LargoServiceApplication");
                assertThat(file.getEntry("BOOT-INF/classes/dev/largo/service/LargoServiceApplication.class"))
                        .as("the service's classes in %s", jar).isNotNull();
            }
        }
    }

    private static List<String> libraries(Path jar) throws IOException {
        assertThat(jar).isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("BOOT-INF/lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("BOOT-INF/lib/".length()))
                    .toList();
        }
    }

    private static Path jar(String property, String relative) {
        String configured = System.getProperty(property);
        return configured != null ? Path.of(configured) : RepositoryLayout.root().resolve(relative);
    }
}
