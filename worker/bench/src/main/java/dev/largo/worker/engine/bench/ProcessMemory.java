package dev.largo.worker.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux; -1 elsewhere) and its CPU time. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** CPU time of the whole process (all threads), nanoseconds. */
    public static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** VmRSS: resident now, KiB. */
    public static long residentKb() {
        return field("VmRSS:");
    }

    /** VmHWM: peak resident ("high water mark"), KiB. */
    public static long peakResidentKb() {
        return field("VmHWM:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
