package dev.largo.worker;

import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The worker process: {@code java -jar worker/target/largo-worker-exec.jar} with the database from
 * {@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME}, {@code SPRING_DATASOURCE_PASSWORD}
 * (or {@code --spring.datasource.url=...} flags) and the worker settings from {@code LARGO_WORKER_*}
 * (or {@code --largo.worker.*} flags): name, device ({@code auto|cpu|gpu}), concurrency, work directory.
 * It claims and trains jobs until it receives SIGTERM, then checkpoints and releases the running jobs.
 *
 * <p>Auto-configuration only (no component scan): the {@code db} module contributes the database side, the
 * worker's {@link dev.largo.worker.runtime.WorkerAutoConfiguration} the worker. A standalone worker needs a
 * shared database, so the embedded PostgreSQL of the service's default mode is off here.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WorkerApplication {

    /** Says what to set, before Spring's generic "no suitable driver class" failure would. */
    static void requireDatabase(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            String url = prepared.getEnvironment().getProperty("spring.datasource.url");
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("the worker needs the service's PostgreSQL database: set"
                        + " SPRING_DATASOURCE_URL (jdbc:postgresql://host:5432/largo), SPRING_DATASOURCE_USERNAME and"
                        + " SPRING_DATASOURCE_PASSWORD, or pass --spring.datasource.url=... and the others as flags");
            }
        }
    }

    public static void main(String[] args) {
        // libtorch comes from the native jar on the classpath; DJL must never try to download it.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        new SpringApplicationBuilder(WorkerApplication.class)
                .web(WebApplicationType.NONE)
                .properties(Map.of(
                        "largo.worker.enabled", "true",
                        "largo.database.embedded.enabled", "false",
                        "spring.jpa.open-in-view", "false",
                        "spring.main.banner-mode", "off"))
                .listeners(WorkerApplication::requireDatabase)
                .run(args);
    }
}
