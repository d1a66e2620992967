package dev.largo.worker.fashion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, as Linux reports it ({@code VmHWM} in {@code /proc/self/status}). */
public final class PeakMemory {

    private PeakMemory() {
    }

    /** Peak resident memory in KiB, or -1 where {@code /proc} does not say. */
    public static long peakKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
