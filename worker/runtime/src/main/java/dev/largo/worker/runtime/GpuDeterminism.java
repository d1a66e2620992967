package dev.largo.worker.runtime;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What libtorch needs for a GPU run to repeat bit for bit from its seed, and for a resumed run to end where an
 * uninterrupted one ends (the worker's promises, which hold on the CPU without any of this):
 * <ul>
 *   <li>cuDNN's autotuner off ({@code torch.backends.cudnn.benchmark = False}): it picks convolution algorithms by
 *       timing them, so two runs may pick different ones. Set through DJL's binding, before any job runs.</li>
 *   <li>{@code CUBLAS_WORKSPACE_CONFIG=:4096:8} (or {@code :16:8}): without it cuBLAS may split a matrix product
 *       over streams in a varying order (NVIDIA's cuBLAS documentation, "Results reproducibility"). libtorch reads
 *       it from the environment when it creates its cuBLAS handle; a JVM cannot set its own environment, so the
 *       CUDA image and the Kubernetes GPU overlay set it, and a GPU worker with determinism on refuses to start
 *       without it.</li>
 * </ul>
 * Not reachable: {@code torch.use_deterministic_algorithms(True)} / {@code cudnn.deterministic} have no binding in
 * DJL 0.32, so an op with only a nondeterministic CUDA kernel cannot be made to fail loudly. The engine's ops
 * (matrix products, layer norm, softmax, GELU, the patch convolution) have deterministic kernels once the two
 * settings above hold; this has not been tried on a GPU (README, "Reproducibility").
 */
public final class GpuDeterminism {

    public static final String CUBLAS_WORKSPACE_CONFIG = "CUBLAS_WORKSPACE_CONFIG";
    /** The values NVIDIA documents for deterministic cuBLAS. */
    public static final Set<String> DETERMINISTIC_WORKSPACES = Set.of(":4096:8", ":16:8");

    private GpuDeterminism() {
    }

    /**
     * Applies the settings when {@code enabled}; returns what was done, for the start-up log.
     *
     * @throws IllegalStateException when determinism is on, this libtorch has a GPU and the environment lacks a
     *     deterministic {@code CUBLAS_WORKSPACE_CONFIG}
     */
    public static List<String> apply(boolean enabled, Map<String, String> environment) {
        if (!enabled) {
            return List.of("determinism off (largo.worker.determinism.enabled=false): GPU runs may differ between"
                    + " repeats of one seed");
        }
        Engine engine = Engine.getInstance();
        boolean gpu = engine.hasCapability(StandardCapabilities.CUDA) && engine.getGpuCount() > 0;
        List<String> done = new ArrayList<>();
        requireDeterministicCublas(gpu, environment);
        JniUtils.setBenchmarkCuDNN(false);
        done.add("cuDNN benchmark off");
        done.add(gpu ? CUBLAS_WORKSPACE_CONFIG + "=" + environment.get(CUBLAS_WORKSPACE_CONFIG)
                : "no GPU: CPU kernels are deterministic");
        return done;
    }

    /** On a GPU, the environment must set {@code CUBLAS_WORKSPACE_CONFIG} to a deterministic value. */
    static void requireDeterministicCublas(boolean gpu, Map<String, String> environment) {
        String value = environment.get(CUBLAS_WORKSPACE_CONFIG);
        if (gpu && (value == null || !DETERMINISTIC_WORKSPACES.contains(value))) {
            throw new IllegalStateException("largo.worker.determinism.enabled is true and this worker has a GPU, but "
                    + CUBLAS_WORKSPACE_CONFIG + " is " + (value == null ? "not set" : "\"" + value + "\"")
                    + ": set it to :4096:8 in the worker's environment (the CUDA image and the Kubernetes GPU overlay"
                    + " do), or set largo.worker.determinism.enabled=false to train without reproducibility");
        }
    }
}
