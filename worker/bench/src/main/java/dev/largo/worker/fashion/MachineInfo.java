package dev.largo.worker.fashion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a measurement was taken: processors, CPU model, memory, load, runtime versions and threading.
 *
 * @param loadAverage the 1/5/15-minute load averages ({@code /proc/loadavg}) when read: other processes
 *     sharing the CPU slow the timings
 */
public record MachineInfo(int processors, String cpuModel, long memoryMib, String os, String java,
                          String djlVersion, String pytorchVersion, int intraOpThreads, String atenCpuCapability,
                          String mklCbwr, String loadAverage) {

    public static MachineInfo current(int intraOpThreads) {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryMib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), "0.32.0", "2.5.1 (CPU)",
                intraOpThreads, System.getenv("ATEN_CPU_CAPABILITY"), System.getenv("MKL_CBWR"), currentLoadAverage());
    }

    public static String currentLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long readMemoryMib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
