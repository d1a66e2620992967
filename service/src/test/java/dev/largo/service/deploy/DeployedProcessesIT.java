package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.service.e2e.JavaProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The configuration surface the deployment files use is real: the service jar and two worker jars, each
 * started as its image starts it (the JVM options of the Dockerfile's ENTRYPOINT) with the environment the
 * Kubernetes cpu overlay gives its container, against a real PostgreSQL. The service becomes live and ready
 * on the actuator probes the manifests use and logs in the structured format they ask for; the workers start
 * with the name, concurrency and work directory they are given, claim the job KEDA would count, and stop
 * gracefully on SIGTERM; the service, whose in-process worker the manifests switch off, claims nothing.
 *
 * <p>Only what cannot exist here is replaced, and each replaced variable must be one the manifests set: the
 * database address and credentials (the test PostgreSQL, loopback only), the work and upload directories
 * (temporary directories) and the pod name behind LARGO_WORKER_NAME. PORT is added: a free port instead of
 * the container's 8080.
 *
 * <p>Runs in {@code verify} (maven-failsafe-plugin), after {@code package} has built both jars.
 */
class DeployedProcessesIT {

    private static final Duration START = Duration.ofMinutes(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theServiceAndTwoWorkersRunWithTheEnvironmentOfTheManifests() throws Exception {
        assertThat(System.getenv().keySet()).as("this JVM's environment, which the processes inherit")
                .noneMatch(k -> k.startsWith("SPRING_") || (k.startsWith("LARGO_") && !k.equals("LARGO_TEST_DATABASE")));
        Path scratch = Files.createTempDirectory("largo-deploy-it");
        Path logs = Path.of(System.getProperty("largo.e2e.dir", "target/e2e")).toAbsolutePath().resolve("deploy-logs");
        Manifests manifests = Manifests.overlay("cpu");
        List<JavaProcess> workers = new ArrayList<>();
        JavaProcess service = null;
        try (ScratchDatabase database = ScratchDatabase.empty()) {
            int port = freePort();
            Map<String, String> serviceEnvironment = environment(manifests.container("largo-service", "service"), database);
            replace(serviceEnvironment, "LARGO_UPLOADS_SPOOL_DIRECTORY", directory(scratch, "uploads"));
            serviceEnvironment.put("PORT", Integer.toString(port));
            int managementPort = freePort();
            replace(serviceEnvironment, "MANAGEMENT_SERVER_PORT", Integer.toString(managementPort));
            service = JavaProcess.start("service", jar("largo.service.api.jar", "service/target/largo-service-api.jar"),
                    jvmOptions("service", "largo-service-api.jar"), serviceEnvironment, logs);

            // All three start together, as compose starts them (each migrates or validates the schema first).
            Map<JavaProcess, String> startedLines = new LinkedHashMap<>();
            for (String name : List.of("it-worker-1", "it-worker-2")) {
                Map<String, String> workerEnvironment = environment(manifests.container("largo-worker", "worker"), database);
                Path work = Path.of(directory(scratch, name));
                replace(workerEnvironment, "LARGO_WORKER_WORK_DIR", work.toString());
                replace(workerEnvironment, "LARGO_WORKER_NAME", name);
                JavaProcess worker = JavaProcess.start(name, jar("largo.worker.jar", "worker/runtime/target/largo-worker-exec.jar"),
                        jvmOptions("worker", "largo-worker-exec.jar"), workerEnvironment, logs);
                workers.add(worker);
                // name, concurrency and work directory as the manifests set them
                startedLines.put(worker, "worker " + name + " started: " + workerEnvironment.get("LARGO_WORKER_CONCURRENCY")
                        + " thread(s), work directory " + work);
            }

            awaitUp(service, "http://127.0.0.1:" + managementPort + "/actuator/health/readiness");
            assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).contains("\"UP\"");
            assertThat(get("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).contains("jvm_memory_used_bytes");
            assertThat(status("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .as("metrics are not served beside the API").isEqualTo(404);
            String started = service.output().lines().filter(l -> l.contains("Started LargoServiceApplication"))
                    .findFirst().orElseThrow();
            assertThat(started).as("LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs: one JSON object per line")
                    .startsWith("{").contains("\"@timestamp\"", "\"ecs\":{\"version\"");
            for (Map.Entry<JavaProcess, String> worker : startedLines.entrySet()) {
                worker.getKey().awaitOutput(worker.getValue(), START);
            }

            // A job KEDA counts is claimed by one of the workers (they poll every LARGO_QUEUE_POLL_INTERVAL).
            JdbcTemplate jdbc = database.jdbc();
            UUID job = new JobRows(jdbc).jobs(1, "queued", "null", false).get(0);
            String claimable = ScaledObjectQueryTest.triggerQuery("cpu", "claimable");
            assertThat(jdbc.queryForObject(claimable, Long.class)).isEqualTo(1);
            awaitClaimed(jdbc, job, workers);
            assertThat(jdbc.queryForObject(claimable, Long.class)).isZero();
            assertThat(workers.stream().filter(w -> w.output().contains("job " + job + ": claimed"))).hasSize(1);
            assertThat(service.output()).as("the service's in-process worker is off (LARGO_WORKER_ENABLED=false)")
                    .doesNotContain("claimed").doesNotContain("thread(s), work directory");

            checkHealthcheckScript(workers.get(0), database);

            for (JavaProcess worker : workers) {
                worker.close();
                assertThat(worker.output()).as("%s stopped by SIGTERM", worker.name())
                        .contains("worker " + worker.name() + " stopped");
            }
        } finally {
            for (JavaProcess worker : workers) {
                worker.close();
            }
            if (service != null) {
                service.close();
            }
        }
    }

    /** The worker image's HEALTHCHECK script, on a worker process here: it finds the database connection. */
    private static void checkHealthcheckScript(JavaProcess worker, ScratchDatabase database) {
        Path script = RepositoryLayout.deploy().resolve("docker/worker-healthcheck.sh");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("LARGO_HEALTHCHECK_PROC", "/proc/" + worker.pid());
        environment.put("SPRING_DATASOURCE_URL", database.jdbcUrl());
        Tools.Result healthy = Tools.run(List.of("sh", script.toString()), RepositoryLayout.root(), Duration.ofSeconds(20),
                environment);
        assertThat(healthy.exitCode()).as(healthy.describe()).isZero();
        // Outside a container /proc/<pid>/net lists the whole host's sockets, so only the negative case says
        // that the script looks at the port: nothing here is connected to port 9.
        environment.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:9/largo");
        Tools.Result unhealthy = Tools.run(List.of("sh", script.toString()), RepositoryLayout.root(), Duration.ofSeconds(20),
                environment);
        assertThat(unhealthy.exitCode()).as(unhealthy.describe()).isEqualTo(1);
        assertThat(unhealthy.stdout()).contains("no established connection to PostgreSQL port 9");
    }

    /** The container's environment, pointed at the test database instead of the cluster's. */
    private static Map<String, String> environment(Manifests.Container container, ScratchDatabase database) {
        Map<String, String> environment = new LinkedHashMap<>(DeploymentEnvironmentTest.values(container));
        replace(environment, "SPRING_DATASOURCE_URL", database.jdbcUrl());
        replace(environment, "SPRING_DATASOURCE_USERNAME", database.username());
        replace(environment, "SPRING_DATASOURCE_PASSWORD", database.password());
        return environment;
    }

    private static void replace(Map<String, String> environment, String variable, String value) {
        assertThat(environment).as("the manifests set %s", variable).containsKey(variable);
        environment.put(variable, value);
    }

    /** The JVM options of the image's ENTRYPOINT ({@code java OPTIONS -jar /app/JAR}). */
    private static List<String> jvmOptions(String image, String jarName) {
        List<String> entrypoint = Dockerfiles.read(image).entrypoint();
        int jar = entrypoint.indexOf("-jar");
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.subList(jar + 1, entrypoint.size())).as("%s image runs the jar Maven builds", image)
                .containsExactly("/app/" + jarName);
        assertThat(entrypoint).contains("-Dai.djl.offline=true");
        return entrypoint.subList(1, jar);
    }

    private static Path jar(String property, String relative) {
        String configured = System.getProperty(property);
        return configured != null ? Path.of(configured) : RepositoryLayout.root().resolve(relative);
    }

    private static String directory(Path scratch, String name) throws IOException {
        return Files.createDirectories(scratch.resolve(name)).toString();
    }

    private void awaitUp(JavaProcess process, String url) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            String body = tryGet(url);
            if (body != null && body.contains("\"UP\"")) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(process.name() + " exited before " + url + " was UP:\n" + process.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " not UP within " + START + " (last answer " + body + "):\n" + process.tail());
            }
            Thread.sleep(500);
        }
    }

    private static void awaitClaimed(JdbcTemplate jdbc, UUID job, List<JavaProcess> workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jdbc.queryForObject("select attempts from jobs where id = ?", Integer.class, job) == 0) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                workers.forEach(w -> logs.append(w.name()).append(":\n").append(w.tail()).append('\n'));
                throw new AssertionError("job " + job + " was not claimed within 60 s:\n" + logs);
            }
            Thread.sleep(200);
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
    }

    private int status(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String tryGet(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
