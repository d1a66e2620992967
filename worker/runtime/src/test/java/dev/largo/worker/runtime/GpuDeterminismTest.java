package dev.largo.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The determinism setting on a machine without a GPU: it reaches libtorch (the cuDNN call goes through DJL's
 * binding into the loaded native library) and is bound from {@code largo.worker.determinism.enabled}; the
 * cuBLAS check that a GPU worker makes is checked on its own. That a GPU run then repeats bit for bit has not been
 * tried (no GPU here).
 */
class GpuDeterminismTest {

    @Test
    void onTheCpuTheSettingReachesLibtorchAndNeedsNoCublasVariable() {
        assertThat(GpuDeterminism.apply(true, Map.of()))
                .containsExactly("cuDNN benchmark off", "no GPU: CPU kernels are deterministic");
        assertThat(GpuDeterminism.apply(false, Map.of())).singleElement().asString().startsWith("determinism off");
    }

    @Test
    void aGpuWorkerRefusesToStartWithoutDeterministicCublasWorkspaces() {
        assertThatThrownBy(() -> GpuDeterminism.requireDeterministicCublas(true, Map.of()))
                .hasMessageContaining("CUBLAS_WORKSPACE_CONFIG is not set").hasMessageContaining(":4096:8")
                .hasMessageContaining("largo.worker.determinism.enabled=false");
        assertThatThrownBy(() -> GpuDeterminism.requireDeterministicCublas(true,
                Map.of("CUBLAS_WORKSPACE_CONFIG", ":0:0"))).hasMessageContaining("\":0:0\"");
        GpuDeterminism.requireDeterministicCublas(true, Map.of("CUBLAS_WORKSPACE_CONFIG", ":4096:8"));
        GpuDeterminism.requireDeterministicCublas(true, Map.of("CUBLAS_WORKSPACE_CONFIG", ":16:8"));
        GpuDeterminism.requireDeterministicCublas(false, Map.of());
    }

    @Test
    void theSettingIsOnByDefaultAndCanBeTurnedOff() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(Enable.class);
        runner.run(context -> assertThat(context.getBean(DeterminismProperties.class).enabled()).isTrue());
        runner.withPropertyValues("largo.worker.determinism.enabled=false")
                .run(context -> assertThat(context.getBean(DeterminismProperties.class).enabled()).isFalse());
    }

    @org.springframework.boot.context.properties.EnableConfigurationProperties(DeterminismProperties.class)
    static class Enable {
    }

}
