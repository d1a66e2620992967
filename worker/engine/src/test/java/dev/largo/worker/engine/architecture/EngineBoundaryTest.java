package dev.largo.worker.engine.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's main code imports neither Spring nor the database module, nor the modules that run it (runtime,
 * bench): the service inspects uploads with it, the command lines train with it, and a text model or a new
 * method plugs into it, all without a Spring context or a database. The enforcer rule in this module's pom keeps
 * such dependencies off the class path; this test catches an import that a transitive dependency would allow.
 */
class EngineBoundaryTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(org\\.springframework|jakarta\\.persistence|dev\\.largo\\.db|dev\\.largo\\.worker\\.(runtime|fashion|builtin|limits)|dev\\.largo\\.worker\\.engine\\.(cli|bench))\\.",
            Pattern.MULTILINE);

    @Test
    void theEngineImportsNoSpringNoDatabaseAndNothingThatRunsIt() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<String> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(EngineBoundaryTest::importsForbidden)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void thePatternCatchesTheImportsItIsFor() {
        assertThat(FORBIDDEN.matcher("import org.springframework.stereotype.Component;").find()).isTrue();
        assertThat(FORBIDDEN.matcher("import dev.largo.db.jobs.JobEntity;").find()).isTrue();
        assertThat(FORBIDDEN.matcher("import dev.largo.worker.runtime.JobExecution;").find()).isTrue();
        assertThat(FORBIDDEN.matcher("import dev.largo.worker.engine.model.ModelConfig;").find()).isFalse();
    }

    private static boolean importsForbidden(Path file) {
        try {
            return FORBIDDEN.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
