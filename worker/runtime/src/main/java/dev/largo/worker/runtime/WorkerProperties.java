package dev.largo.worker.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the queue worker ({@code largo.worker.*}; as environment variables {@code LARGO_WORKER_NAME},
 * {@code LARGO_WORKER_DEVICE}, {@code LARGO_WORKER_CONCURRENCY}, {@code LARGO_WORKER_WORK_DIR}...).
 *
 * @param enabled whether this process runs a worker (the worker application and the service's default mode
 *     set it)
 * @param name the name the worker claims jobs under (lease owner); null: {@code <hostname>-<pid>}. Must be
 *     unique among live workers, since every lease check compares it
 * @param device where training runs: {@code auto} (a CUDA GPU when libtorch has one, else the CPU),
 *     {@code cpu}, or {@code gpu} (refuses to start without one)
 * @param concurrency jobs this process trains at once, each on its own thread
 * @param workDir where jobs stage their inputs and the engine writes checkpoints and exports; null: the
 *     system temporary directory. Each attempt gets its own subdirectory, deleted when it ends
 * @param metricsEverySteps logging interval: training metrics are recorded every n-th step (and on the last
 *     step of every epoch)
 * @param flushEverySteps buffered events and metrics are written, with the job's progress, every n steps...
 * @param flushInterval ...or once this much time has passed since the last write, whichever comes first
 * @param cancelPollInterval how often a running job looks for a cancel request (a read, unlike the
 *     heartbeat, which renews the lease every {@code largo.queue.heartbeat})
 * @param shutdownTimeout how long a stopping worker waits for its running jobs to checkpoint and release
 * @param keepWorkDirs keep each attempt's directory (debugging)
 */
@ConfigurationProperties("largo.worker")
public record WorkerProperties(
        @DefaultValue("false") boolean enabled,
        String name,
        @DefaultValue("auto") WorkerDevice device,
        @DefaultValue("1") int concurrency,
        Path workDir,
        @DefaultValue("10") int metricsEverySteps,
        @DefaultValue("50") int flushEverySteps,
        @DefaultValue("2s") Duration flushInterval,
        @DefaultValue("1s") Duration cancelPollInterval,
        @DefaultValue("60s") Duration shutdownTimeout,
        @DefaultValue("false") boolean keepWorkDirs) {

    public WorkerProperties {
        if (name != null && name.isBlank()) {
            name = null;
        }
        if (concurrency < 1 || concurrency > 64) {
            throw new IllegalArgumentException("largo.worker.concurrency must be within [1, 64], got " + concurrency);
        }
        requirePositive(metricsEverySteps, "metrics-every-steps");
        requirePositive(flushEverySteps, "flush-every-steps");
        requirePositive(flushInterval, "flush-interval");
        requirePositive(cancelPollInterval, "cancel-poll-interval");
        requirePositive(shutdownTimeout, "shutdown-timeout");
        if (device == null) {
            device = WorkerDevice.AUTO;
        }
    }

    /** The defaults, for workers built without Spring (tests, tools). */
    public static WorkerProperties defaults() {
        return new WorkerProperties(true, null, WorkerDevice.AUTO, 1, null, 10, 50, Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofSeconds(60), false);
    }

    /** The configured name, or {@code <hostname>-<pid>}. */
    public String resolvedName() {
        if (name != null) {
            return name;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "worker");
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** The configured directory, or {@code <java.io.tmpdir>/largo-worker}. */
    public Path resolvedWorkDir() {
        return workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "largo-worker");
    }

    public WorkerProperties withName(String newName) {
        return new WorkerProperties(enabled, newName, device, concurrency, workDir, metricsEverySteps,
                flushEverySteps, flushInterval, cancelPollInterval, shutdownTimeout, keepWorkDirs);
    }

    public WorkerProperties withConcurrency(int threads) {
        return new WorkerProperties(enabled, name, device, threads, workDir, metricsEverySteps, flushEverySteps,
                flushInterval, cancelPollInterval, shutdownTimeout, keepWorkDirs);
    }

    private static void requirePositive(int value, String key) {
        if (value < 1) {
            throw new IllegalArgumentException("largo.worker." + key + " must be at least 1, got " + value);
        }
    }

    private static void requirePositive(Duration value, String key) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("largo.worker." + key + " must be a positive duration, got " + value);
        }
    }
}
