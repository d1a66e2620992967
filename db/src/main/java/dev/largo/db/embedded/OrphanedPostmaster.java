package dev.largo.db.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL of an instance that was killed (SIGKILL, a crash) outlives it: it keeps running on the data
 * directory, and the next start could not start its own server there. Called with the data directory's lock
 * held, so a postmaster still listed in {@code postmaster.pid} belongs to no running instance: it is stopped.
 */
final class OrphanedPostmaster {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final long STOP_WAIT_SECONDS = 30;

    private OrphanedPostmaster() {
    }

    static void stopIfRunning(Path dataDir) {
        Optional<ProcessHandle> orphan = postmaster(dataDir);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle process = orphan.get();
        log.warn("a PostgreSQL (pid {}) left by an instance that did not shut down still runs on {}: stopping it",
                process.pid(), dataDir);
        stop(process); // the dead instance's sessions are gone already
    }

    /**
     * After a refused start: a postmaster started on {@code dataDir} that could not bind its port exits by itself,
     * but it may not have yet (zonky returns as soon as something answers on the port). Waits for every postgres
     * process serving {@code dataDir} to end, stopping any that still runs, so that the directory and its lock are
     * released only once nothing uses them.
     */
    static void stopAllOn(Path dataDir) {
        String dir = dataDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(dir)).orElse(false))
                .forEach(OrphanedPostmaster::stop);
    }

    private static void stop(ProcessHandle process) {
        process.destroy(); // SIGTERM: PostgreSQL's smart shutdown
        try {
            process.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("PostgreSQL (pid {}) did not stop within {} s: killing it (it recovers from its WAL on the next"
                    + " start)", process.pid(), STOP_WAIT_SECONDS);
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    private static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).strip());
            // only a live postgres process: a pid reused by something else is left alone (PostgreSQL itself then
            // sees the stale file for what it is and starts)
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
