package dev.largo.service.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/** A {@code java -jar} child process with its output in a log file, as an operator would run it. */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class JavaProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    public static JavaProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> environment,
            Path logDirectory) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; build it first (./mvnw -pl service -am verify"
                    + " builds every jar before running this test)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        Path log = logDirectory.resolve(name + ".log");
        try {
            Files.createDirectories(logDirectory);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
            builder.environment().putAll(environment);
            return new JavaProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Waits until the process prints {@code text}; fails if it exits first or the time runs out. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before printing \"" + text
                        + "\":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print \"" + text + "\" within " + timeout + ":\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    /** SIGKILL: the process gets no chance to checkpoint, release or even flush a log line. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a container stop or Kubernetes sends it; returns the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not stop within " + timeout + " of SIGTERM:\n" + tail());
        }
        return process.exitValue();
    }

    public String tail() {
        String output = output();
        return output.length() <= 8000 ? output : output.substring(output.length() - 8000);
    }

    /** SIGTERM, then SIGKILL if it has not stopped after a grace period. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
