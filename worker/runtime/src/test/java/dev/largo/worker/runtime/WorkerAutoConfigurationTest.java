package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.db.testsupport.PostgresTestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The worker starts in any application that depends on {@code worker} once {@code largo.worker.enabled=true}
 * (the worker application; the service's default mode), with its settings from properties or environment
 * variables, and not otherwise. Each context is started and closed here, so no running worker outlives its
 * test and claims another test's jobs.
 */
class WorkerAutoConfigurationTest {

    @Test
    void noWorkerUnlessEnabled() {
        try (ConfigurableApplicationContext context = run(Map.of())) {
            assertThat(context.getBeansOfType(QueueWorker.class)).isEmpty();
        }
    }

    @Test
    void anEnabledWorkerRunsWithItsConfiguredNameAndStopsWithTheContext() {
        QueueWorker worker;
        try (ConfigurableApplicationContext context = run(Map.of("largo.worker.enabled", "true",
                "largo.worker.name", "worker-from-properties", "largo.worker.device", "cpu",
                "largo.worker.concurrency", "2"))) {
            worker = context.getBean(QueueWorker.class);
            assertThat(worker.name()).isEqualTo("worker-from-properties");
            assertThat(worker.isRunning()).isTrue();
            WorkerProperties properties = context.getBean(WorkerProperties.class);
            assertThat(properties.device()).isEqualTo(WorkerDevice.CPU);
            assertThat(properties.concurrency()).isEqualTo(2);
        }
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void theDefaultNameIsHostnameAndPidAndBadSettingsAreNamed() {
        assertThat(WorkerProperties.defaults().resolvedName()).endsWith("-" + ProcessHandle.current().pid());
        assertThat(WorkerProperties.defaults().resolvedWorkDir().getFileName()).hasToString("largo-worker");
        assertThatThrownBy(() -> new WorkerProperties(true, null, WorkerDevice.CPU, 0, null, 1, 1,
                java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1), false))
                .hasMessage("largo.worker.concurrency must be within [1, 64], got 0");
    }

    @Test
    void aGpuWorkerWithoutAGpuRefusesToStartSayingWhy() {
        assertThatThrownBy(() -> run(Map.of("largo.worker.enabled", "true", "largo.worker.device", "gpu")).close())
                .rootCause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("largo.worker.device=gpu, but")
                .hasMessageContaining("largo.worker.device=cpu");
    }

    private static ConfigurableApplicationContext run(Map<String, String> properties) {
        PostgresTestDatabase database = PostgresTestDatabase.get();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("spring.datasource.url", database.jdbcUrl());
        all.put("spring.datasource.username", database.username());
        all.put("spring.datasource.password", database.password());
        all.put("largo.database.embedded.enabled", "false");
        all.put("largo.queue.reaper-enabled", "false");
        all.put("spring.jpa.open-in-view", "false");
        all.putAll(properties);
        return new SpringApplicationBuilder(WorkerTestApplication.class).web(WebApplicationType.NONE)
                .properties(all).run();
    }
}
