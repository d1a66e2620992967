package dev.largo.db.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * One instance per data directory: an exclusive lock on {@code <data-dir>.lock} (next to the PostgreSQL data
 * directory, which initdb wants empty), held for as long as the instance runs. The file says who holds it, so a
 * second instance can name the running one. The operating system releases the lock when the holder dies, however
 * it dies, so a stale file never blocks a restart.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
final class DataDirectoryLock implements AutoCloseable {

    private final Path dataDir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    /**
     * Takes the lock of {@code dataDir} (an absolute, normalised path) or fails naming the directory and the
     * instance that holds it.
     */
    static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process
            }
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new EmbeddedDatabaseException("the data directory " + dataDir + " is in use by another"
                        + " LARGO instance (" + (holder.isBlank() ? "unknown" : holder) + "; lock " + file + ")",
                        "Stop that instance first, or start this one in another directory"
                        + " (or set largo.database.embedded.data-dir)", null);
            }
            DataDirectoryLock held = new DataDirectoryLock(dataDir, file, channel, lock);
            held.describe(null);
            return held;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not lock the data directory " + dataDir + " (" + file + ")", e);
        }
    }

    /** Writes who holds the lock: this process, when it started, and the port of its PostgreSQL once known. */
    void describe(Integer postgresPort) {
        ProcessHandle self = ProcessHandle.current();
        String started = self.info().startInstant().map(Instant::toString).orElse("unknown");
        String text = "pid " + self.pid() + " started " + started
                + (postgresPort == null ? "" : ", its PostgreSQL on port " + postgresPort);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release " + file, e);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        int length = Math.max(0, channel.read(buffer, 0));
        return new String(buffer.array(), 0, length, StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing with the reason that matters
            }
        }
    }
}
