package dev.largo.service.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the multi-process tests start the jars Maven built ({@code largo.service.jar}, {@code largo.worker.jar},
 * set by the failsafe configuration): small heaps, one libtorch thread, a shared database.
 */
final class LargoJars {

    static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1");

    private LargoJars() {
    }

    /** The settings that point a process at a PostgreSQL (never an embedded one of its own). */
    static Map<String, String> databaseEnvironment(String jdbcUrl, String username, String password) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_DATASOURCE_URL", jdbcUrl);
        environment.put("SPRING_DATASOURCE_USERNAME", username);
        environment.put("SPRING_DATASOURCE_PASSWORD", password);
        environment.put("LARGO_DATABASE_EMBEDDED_ENABLED", "false");
        return environment;
    }

    static JavaProcess startService(String name, Map<String, String> environment, Path logDirectory) {
        return JavaProcess.start(name, Path.of(System.getProperty("largo.service.jar")), JVM, environment, logDirectory);
    }

    static JavaProcess startWorker(String name, Map<String, String> environment, Path logDirectory) {
        return JavaProcess.start(name, Path.of(System.getProperty("largo.worker.jar")), JVM, environment, logDirectory);
    }
}
