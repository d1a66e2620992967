package dev.largo.service.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files are valid for the tools that read them: {@code kubectl kustomize} renders both
 * overlays, {@code docker-compose config} accepts the compose file. Both tools also confirm that the other
 * tests read these files as the tools do (same resources, same environment per container or service).
 * Without a tool the test is skipped, saying so; CI installs both (.ci/run: kubernetes-client, docker-compose).
 */
class DeployToolsTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void kubectlRendersTheOverlayAsTheTestsReadIt(String overlay) {
        assumeTrue(Tools.onPath("kubectl"), "kubectl is not installed here (Debian package kubernetes-client):"
                + " the overlays were not rendered by kubectl; CI installs it (.ci/run)");
        Tools.Result result = Tools.run(List.of("kubectl", "kustomize", "deploy/k8s/overlays/" + overlay),
                RepositoryLayout.root(), TIMEOUT);
        assertThat(result.exitCode()).as(result.describe()).isZero();

        Manifests byKubectl = new Manifests(YamlFiles.documents(result.stdout()));
        Manifests byTests = Manifests.overlay(overlay);
        assertThat(names(byKubectl)).isEqualTo(names(byTests));
        assertThat(byKubectl.containers()).hasSameSizeAs(byTests.containers());
        for (Manifests.Container rendered : byKubectl.containers()) {
            Manifests.Container ours = byTests.container(rendered.deployment(), rendered.name());
            String what = rendered.deployment() + "/" + rendered.name() + " in the " + overlay + " overlay";
            assertThat(rendered.image()).as(what).isEqualTo(ours.image());
            assertThat(rendered.environment()).as("environment of %s", what).isEqualTo(ours.environment());
            assertThat(rendered.spec().get("resources")).as("resources of %s", what).isEqualTo(ours.spec().get("resources"));
            for (String field : List.of("terminationGracePeriodSeconds", "nodeSelector", "tolerations", "volumes")) {
                assertThat(byName(rendered.podSpec().get(field))).as("%s of %s", field, what)
                        .isEqualTo(byName(ours.podSpec().get(field)));
            }
        }
        assertThat(byKubectl.resource("ScaledObject", "largo-worker"))
                .isEqualTo(byTests.resource("ScaledObject", "largo-worker"));
    }

    @Test
    void dockerComposeAcceptsTheComposeFileAndReadsItAsTheTestsDo() {
        assumeTrue(Tools.onPath("docker-compose"), "docker-compose is not installed here (Debian package"
                + " docker-compose): the compose file was not validated; CI installs it (.ci/run)");
        Tools.Result result = Tools.run(List.of("docker-compose", "-f", "deploy/docker-compose.yml", "config"),
                RepositoryLayout.root(), TIMEOUT);
        assertThat(result.exitCode()).as(result.describe()).isZero();

        ComposeFile byCompose = ComposeFile.parse(result.stdout());
        ComposeFile byTests = ComposeFile.read(RepositoryLayout.composeFile());
        assertThat(environments(byCompose)).isEqualTo(environments(byTests)).containsKeys("service", "worker-1", "worker-2");
    }

    /** Lists of named items (volumes) as maps: their order differs between kustomize versions and means nothing. */
    private static Object byName(Object value) {
        if (value instanceof List<?> list && !list.isEmpty()
                && list.stream().allMatch(item -> item instanceof Map<?, ?> map && map.containsKey("name"))) {
            return list.stream().map(item -> (Map<?, ?>) item)
                    .collect(Collectors.toMap(item -> String.valueOf(item.get("name")), item -> item));
        }
        return value;
    }

    private static List<String> names(Manifests manifests) {
        return manifests.resources().stream().map(r -> Kustomization.kind(r) + "/" + Kustomization.name(r)).sorted().toList();
    }

    private static Map<String, Map<String, String>> environments(ComposeFile compose) {
        return compose.largoServices().stream()
                .collect(Collectors.toMap(ComposeFile.Service::name, ComposeFile.Service::environment));
    }
}
