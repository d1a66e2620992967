package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;

/**
 * The environment the deployment files give the processes is one the code reads: every variable the
 * Kubernetes manifests (both overlays), the compose file and the images set is a setting of the process that
 * gets it, and its value binds. Plus the relations between settings that no single process checks: workers
 * get longer to stop than they take to checkpoint, everything points at one database, KEDA counts that
 * database.
 */
class DeploymentEnvironmentTest {

    private static final Map<ProcessKind, CodeSettings> CODE = new EnumMap<>(ProcessKind.class);

    /** Time a stopping worker needs beyond its shutdown timeout: closing the context and the pool, JVM exit. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(20);

    private static synchronized CodeSettings code(ProcessKind process) {
        return CODE.computeIfAbsent(process, CodeSettings::of);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyVariableTheManifestsSetIsReadByTheProcessThatGetsIt(String overlay) {
        List<Manifests.Container> containers = Manifests.overlay(overlay).containers();
        assertThat(containers).extracting(Manifests.Container::process)
                .containsExactlyInAnyOrder(ProcessKind.SERVICE, ProcessKind.WORKER);
        List<String> unread = new ArrayList<>();
        for (Manifests.Container container : containers) {
            assertThat(container.environment()).as("environment of %s", container.deployment()).isNotEmpty();
            for (Manifests.Variable variable : container.environment().values()) {
                if (code(container.process()).reader(variable.name()).isEmpty()) {
                    unread.add(variable.name() + " (" + variable.source() + ", deployment " + container.deployment()
                            + "): no code of the " + container.process() + " reads it");
                }
            }
        }
        assertThat(unread).as("variables the %s overlay sets that nothing reads", overlay).isEmpty();
    }

    @Test
    void everyVariableTheComposeFileSetsIsReadByTheProcessThatGetsIt() {
        List<ComposeFile.Service> services = ComposeFile.read(RepositoryLayout.composeFile()).largoServices();
        assertThat(services).extracting(ComposeFile.Service::process)
                .containsExactlyInAnyOrder(ProcessKind.SERVICE, ProcessKind.WORKER, ProcessKind.WORKER);
        List<String> unread = new ArrayList<>();
        for (ComposeFile.Service service : services) {
            service.environment().keySet().stream().filter(v -> code(service.process()).reader(v).isEmpty())
                    .forEach(v -> unread.add(v + " (compose service " + service.name() + "): no code of the "
                            + service.process() + " reads it"));
        }
        assertThat(unread).isEmpty();
    }

    @Test
    void everyVariableTheImagesSetIsReadByTheProcessTheyRun() {
        assertThat(Dockerfiles.names()).containsExactlyInAnyOrder("service", "worker", "worker-cuda");
        List<String> unread = new ArrayList<>();
        for (String name : Dockerfiles.names()) {
            Dockerfiles.Image image = Dockerfiles.read(name);
            // libtorch is copied out at build time in the worker images; the service image carries none
            if (image.process() == ProcessKind.WORKER) {
                assertThat(image.environment()).as("ENV of %s", name).containsKey("DJL_CACHE_DIR");
            } else {
                assertThat(image.environment()).as("ENV of %s", name).doesNotContainKey("DJL_CACHE_DIR");
            }
            image.environment().keySet().stream().filter(v -> code(image.process()).reader(v).isEmpty())
                    .forEach(v -> unread.add(v + " (ENV in " + name + ".Dockerfile): no code of the "
                            + image.process() + " reads it"));
        }
        assertThat(unread).isEmpty();
    }

    /** The check above must be able to fail: a variable no code reads is reported, a real one is not. */
    @Test
    void theCrossCheckTellsReadVariablesFromOthers() {
        CodeSettings worker = code(ProcessKind.WORKER);
        CodeSettings service = code(ProcessKind.SERVICE);
        assertThat(worker.reader("LARGO_QUEUE_POLL_INTERVAL")).hasValueSatisfying(r -> assertThat(r).contains("largo.queue"));
        assertThat(worker.reader("SPRING_DATASOURCE_URL")).isPresent();
        assertThat(worker.reader("LARGO_QUEUE_POLL_INTERVALL")).isEmpty();
        assertThat(worker.reader("LARGO_SECURITY_ADMIN_KEY")).as("a service setting").isEmpty();
        assertThat(service.reader("LARGO_SECURITY_ADMIN_KEY")).hasValueSatisfying(r -> assertThat(r).contains("largo.security"));
        // service-only settings: uploads are the service's, application.yaml's ${PORT} too
        assertThat(service.reader("LARGO_UPLOADS_SPOOL_DIRECTORY")).isPresent();
        assertThat(worker.reader("LARGO_UPLOADS_SPOOL_DIRECTORY")).isEmpty();
        assertThat(service.reader("PORT")).isPresent();
        assertThat(worker.reader("PORT")).isEmpty();
        assertThat(service.reader("DJL_CACHE_DIR")).hasValueSatisfying(r -> assertThat(r).contains("ai.djl.util.Utils"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void theManifestValuesBindToTheSettingsOfEachProcess(String overlay) {
        for (Manifests.Container container : Manifests.overlay(overlay).containers()) {
            ProcessEnvironment environment = new ProcessEnvironment(container.process(), values(container));
            assertThatCode(() -> environment.bindSettings(code(container.process())))
                    .as("settings of %s in the %s overlay", container.deployment(), overlay).doesNotThrowAnyException();
        }
    }

    @Test
    void theComposeValuesBindToTheSettingsOfEachProcess() {
        for (ComposeFile.Service service : ComposeFile.read(RepositoryLayout.composeFile()).largoServices()) {
            ProcessEnvironment environment = new ProcessEnvironment(service.process(), service.environment());
            assertThatCode(() -> environment.bindSettings(code(service.process())))
                    .as("settings of compose service %s", service.name()).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void workersGetLongerToStopThanTheyTakeToCheckpoint(String overlay) {
        Manifests.Container worker = Manifests.overlay(overlay).container("largo-worker", "worker");
        Duration shutdownTimeout = shutdownTimeout(worker.process(), values(worker), "overlay " + overlay);
        Duration grace = Duration.ofSeconds(((Number) worker.podSpec().get("terminationGracePeriodSeconds")).longValue());
        assertThat(grace).as("terminationGracePeriodSeconds of the workers (%s overlay)", overlay)
                .isGreaterThanOrEqualTo(shutdownTimeout.plus(EXIT_MARGIN));
    }

    @Test
    void composeWorkersGetLongerToStopThanTheyTakeToCheckpoint() {
        for (ComposeFile.Service service : ComposeFile.read(RepositoryLayout.composeFile()).largoServices()) {
            if (service.process() != ProcessKind.WORKER) {
                continue;
            }
            Duration shutdownTimeout = shutdownTimeout(service.process(), service.environment(), service.name());
            Duration grace = DurationStyle.detectAndParse(String.valueOf(service.spec().get("stop_grace_period")));
            assertThat(grace).as("stop_grace_period of %s", service.name()).isGreaterThanOrEqualTo(shutdownTimeout.plus(EXIT_MARGIN));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void serviceAndWorkersShareOneExternalDatabaseAndOnlyWorkersTrain(String overlay) {
        List<Manifests.Container> containers = Manifests.overlay(overlay).containers();
        for (Manifests.Container container : containers) {
            ProcessEnvironment environment = new ProcessEnvironment(container.process(), values(container));
            assertThat(environment.bind("spring.datasource.url", String.class, null)).as(container.deployment())
                    .startsWith("jdbc:postgresql://");
            assertThat(environment.bind("largo.database.embedded.enabled", Boolean.class, true)).isFalse();
            assertThat(environment.bind("largo.worker.enabled", Boolean.class, container.process() == ProcessKind.WORKER))
                    .as("in-process worker of %s", container.deployment())
                    .isEqualTo(container.process() == ProcessKind.WORKER);
        }
        for (String variable : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD")) {
            assertThat(containers).extracting(c -> c.value(variable)).as(variable).containsOnly(containers.get(0).value(variable));
        }
        ComposeFile compose = ComposeFile.read(RepositoryLayout.composeFile());
        assertThat(compose.largoServices()).extracting(s -> s.environment().get("SPRING_DATASOURCE_URL")).doesNotContainNull()
                .containsOnly(compose.service("service").environment().get("SPRING_DATASOURCE_URL"));
        assertThat(new ProcessEnvironment(ProcessKind.SERVICE, compose.service("service").environment())
                .bind("largo.worker.enabled", Boolean.class, true)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void kedaScalesTheWorkerDeploymentOnTheDatabaseTheWorkersUse(String overlay) {
        Manifests manifests = Manifests.overlay(overlay);
        Manifests.Container worker = manifests.container("largo-worker", "worker");
        Map<String, Object> scaledObject = manifests.resource("ScaledObject", "largo-worker");
        assertThat(YamlFiles.stringAt(scaledObject, "spec.scaleTargetRef.name")).isEqualTo(worker.deployment());
        assertThat(YamlFiles.at(scaledObject, "spec.minReplicaCount")).isEqualTo(0);
        assertThat(YamlFiles.stringAt(scaledObject, "spec.advanced.scalingModifiers.target"))
                .as("jobs per worker replica").isEqualTo(worker.value("LARGO_WORKER_CONCURRENCY"));

        URI database = URI.create(worker.value("SPRING_DATASOURCE_URL").substring("jdbc:".length()));
        List<Object> triggers = YamlFiles.listAt(scaledObject, "spec.triggers");
        assertThat(triggers).hasSize(2);
        for (Object item : triggers) {
            Map<String, Object> trigger = YamlFiles.map(item, "trigger");
            assertThat(trigger.get("type")).isEqualTo("postgresql");
            Map<String, Object> metadata = YamlFiles.mapAt(trigger, "metadata");
            assertThat(metadata.get("host")).isEqualTo(database.getHost());
            assertThat(metadata.get("port")).isEqualTo(String.valueOf(database.getPort() < 0 ? 5432 : database.getPort()));
            assertThat(metadata.get("dbName")).isEqualTo(database.getPath().substring(1));
            assertThat(metadata.get("userName")).isEqualTo(worker.value("SPRING_DATASOURCE_USERNAME"));
            assertThat(YamlFiles.stringAt(scaledObject, "spec.advanced.scalingModifiers.formula"))
                    .contains(String.valueOf(trigger.get("name")));

            Map<String, Object> authentication = manifests.resource("TriggerAuthentication",
                    YamlFiles.stringAt(trigger, "authenticationRef.name"));
            Map<String, Object> password = YamlFiles.map(YamlFiles.listAt(authentication, "spec.secretTargetRef").get(0), "ref");
            assertThat(password.get("parameter")).isEqualTo("password");
            assertThat(manifests.data("Secret", String.valueOf(password.get("name"))).get(String.valueOf(password.get("key"))))
                    .isEqualTo(worker.value("SPRING_DATASOURCE_PASSWORD"));
        }
    }

    @Test
    void theGpuOverlayRunsCudaWorkersOnGpusAndTheCpuOverlayNone() {
        Manifests.Container gpu = Manifests.overlay("gpu").container("largo-worker", "worker");
        assertThat(gpu.image()).startsWith("largo-worker-cuda:");
        assertThat(gpu.value("LARGO_WORKER_DEVICE")).isEqualTo("gpu");
        assertThat(YamlFiles.mapAt(gpu.spec(), "resources.limits")).containsEntry("nvidia.com/gpu", 1);
        assertThat(YamlFiles.mapAt(gpu.spec(), "resources.requests")).containsEntry("nvidia.com/gpu", 1);
        assertThat(YamlFiles.listAt(gpu.podSpec(), "tolerations")).isNotEmpty();

        Manifests.Container cpu = Manifests.overlay("cpu").container("largo-worker", "worker");
        assertThat(cpu.image()).startsWith("largo-worker:");
        assertThat(cpu.value("LARGO_WORKER_DEVICE")).isEqualTo("cpu");
        assertThat(YamlFiles.mapAt(cpu.spec(), "resources.limits")).doesNotContainKey("nvidia.com/gpu");
        for (Manifests.Container container : List.of(gpu, cpu)) {
            assertThat(YamlFiles.mapAt(container.spec(), "resources.requests")).containsKeys("cpu", "memory");
            assertThat(YamlFiles.mapAt(container.spec(), "resources.limits")).containsKeys("cpu", "memory");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void serviceProbesAskTheActuatorOnItsManagementPortWhichNoServiceRoutes(String overlay) {
        Manifests.Container service = Manifests.overlay(overlay).container("largo-service", "service");
        ProcessEnvironment environment = new ProcessEnvironment(ProcessKind.SERVICE, values(service));
        int port = environment.bind("server.port", Integer.class, 8080);
        Integer managementPort = environment.bind("management.server.port", Integer.class, null);
        assertThat(managementPort).as("MANAGEMENT_SERVER_PORT: metrics name jobs and workers").isNotNull().isNotEqualTo(port);
        List<Object> ports = YamlFiles.listAt(service.spec(), "ports");
        assertThat(ports.stream().map(p -> YamlFiles.map(p, "port")))
                .anySatisfy(p -> assertThat(p).containsEntry("name", "http").containsEntry("containerPort", port))
                .anySatisfy(p -> assertThat(p).containsEntry("name", "management").containsEntry("containerPort", managementPort));
        assertThat(YamlFiles.stringAt(service.spec(), "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(YamlFiles.stringAt(service.spec(), "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(YamlFiles.stringAt(service.spec(), "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertThat(YamlFiles.stringAt(service.spec(), probe + ".httpGet.port")).isEqualTo("management");
        }
        Manifests manifests = Manifests.overlay(overlay);
        assertThat(YamlFiles.mapAt(manifests.resource("Deployment", "largo-service"), "spec.template.metadata.annotations"))
                .containsEntry("prometheus.io/port", Integer.toString(managementPort));
        assertThat(manifests.resources().stream().filter(r -> "Service".equals(Kustomization.kind(r))))
                .as("only the API port is routed").isNotEmpty()
                .allSatisfy(r -> assertThat(YamlFiles.listAt(r, "spec.ports"))
                        .allSatisfy(p -> assertThat(YamlFiles.map(p, "port")).containsEntry("targetPort", "http")));
        assertThat(YamlFiles.stringAt(service.spec(), "resources.limits.memory")).isNotNull();
    }

    /** The values a container gets; a fieldRef (the pod name) becomes a sample of what Kubernetes puts there. */
    static Map<String, String> values(Manifests.Container container) {
        Map<String, String> values = new LinkedHashMap<>();
        container.environment().forEach((name, variable) ->
                values.put(name, variable.value().startsWith("$(fieldRef ") ? "largo-worker-5d9c7b-x2x7q" : variable.value()));
        return values;
    }

    private static Duration shutdownTimeout(ProcessKind process, Map<String, String> variables, String where) {
        Duration timeout = new ProcessEnvironment(process, variables).bind("largo.worker.shutdown-timeout", Duration.class, null);
        assertThat(timeout).as("LARGO_WORKER_SHUTDOWN_TIMEOUT in %s: the stop grace period is sized for it, so spell it out",
                where).isNotNull();
        return timeout;
    }
}
