package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds the Fashion-MNIST IDX files that Debian's {@code dataset-fashion-mnist} package installs, and installs
 * the package when they are missing and the process may (root with apt-get). Nothing is downloaded from
 * anywhere else.
 */
public final class FashionMnistFiles {

    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private FashionMnistFiles() {
    }

    /** The files of {@link #FILES} that {@code directory} lacks. */
    public static List<String> missing(Path directory) {
        return FILES.stream().filter(name -> !Files.isRegularFile(directory.resolve(name))).toList();
    }

    /**
     * Returns {@code directory} when it holds all four files. Otherwise, when {@code directory} is Debian's
     * default and the process runs as root with apt-get, installs the package (reporting through {@code log});
     * else fails with the command that would install it.
     *
     * @throws MissingDatasetException when the files are missing and could not be installed
     */
    public static Path require(Path directory, boolean mayInstall, Consumer<String> log) {
        List<String> missing = missing(directory);
        if (missing.isEmpty()) {
            return directory;
        }
        boolean debianDefault = directory.toAbsolutePath().normalize().equals(FashionMnist.DEFAULT_DIRECTORY);
        if (mayInstall && debianDefault && isRoot() && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            log.accept("Fashion-MNIST files missing in " + directory + " (" + missing + "); installing the Debian package "
                    + DEBIAN_PACKAGE);
            if (!aptGet(log, "install", "-y", "--no-install-recommends", DEBIAN_PACKAGE)) {
                aptGet(log, "update");
                aptGet(log, "install", "-y", "--no-install-recommends", DEBIAN_PACKAGE);
            }
            missing = missing(directory);
            if (missing.isEmpty()) {
                return directory;
            }
        }
        throw new MissingDatasetException("Fashion-MNIST files missing in " + directory + ": " + missing
                + ". Install them with: sudo apt-get install " + DEBIAN_PACKAGE
                + (debianDefault ? "" : " (files land in " + FashionMnist.DEFAULT_DIRECTORY + ")")
                + ", or pass the directory that holds the four IDX files.");
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean aptGet(Consumer<String> log, String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                log.accept(String.join(" ", command) + " timed out");
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            log.accept(String.join(" ", command) + " could not run: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The IDX files are absent and were not installed. */
    public static final class MissingDatasetException extends RuntimeException {
        public MissingDatasetException(String message) {
            super(message);
        }
    }
}
