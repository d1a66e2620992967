package dev.largo.worker.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;

/** Where a worker trains ({@code largo.worker.device}). */
public enum WorkerDevice {
    /** A CUDA GPU when libtorch was built with CUDA and one is visible, else the CPU. */
    AUTO,
    CPU,
    /** A CUDA GPU, or the worker refuses to start. */
    GPU;

    /**
     * The DJL device this choice means on this machine.
     *
     * @throws IllegalStateException for {@code gpu} without a usable GPU, saying why
     */
    public Device resolve() {
        return switch (this) {
            case CPU -> Device.cpu();
            case AUTO -> Engine.getInstance().defaultDevice();
            case GPU -> {
                Engine engine = Engine.getInstance();
                if (!engine.hasCapability(StandardCapabilities.CUDA)) {
                    throw new IllegalStateException("largo.worker.device=gpu, but this worker carries the CPU build of"
                            + " libtorch (" + engine.getEngineName() + " " + engine.getVersion() + "); build the worker"
                            + " with the cuda profile (./mvnw -Pcuda package, pytorch-native-cu124) or use"
                            + " largo.worker.device=cpu");
                }
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("largo.worker.device=gpu, but libtorch sees no CUDA GPU (check the"
                            + " NVIDIA driver and CUDA_VISIBLE_DEVICES) or use largo.worker.device=cpu");
                }
                yield Device.gpu();
            }
        };
    }

    /** {@code cpu}, {@code gpu:0}: for logs and events. */
    public static String describe(Device device) {
        return device.getDeviceId() < 0 ? device.getDeviceType() : device.getDeviceType() + ":" + device.getDeviceId();
    }
}
