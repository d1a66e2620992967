package dev.largo.db.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * A PostgreSQL server run from the binaries bundled in the application, on a data directory that survives
 * restarts (initialised on first start only). Listens on 127.0.0.1, by default on a free port.
 *
 * <p>Its database is its own: the data directory is locked for the instance ({@link DataDirectoryLock}), and
 * after start the server is asked which data directory it serves. The library that starts it only waits until
 * something answers on the port, so when its server could not bind (the port taken by another PostgreSQL), it
 * would take the other server for its own; that is refused here.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String DATABASE = "postgres";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final DataDirectoryLock lock;

    /**
     * Starts a server on {@code dataDir} (created and initialised if empty).
     *
     * @param port TCP port, 0 for a free one
     * @throws EmbeddedDatabaseException when another instance runs on the directory, or the server did not start
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port) {
        Path dir = dataDir.toAbsolutePath().normalize();
        DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        EmbeddedPostgres postgres = null;
        try {
            Files.createDirectories(dir);
            OrphanedPostmaster.stopIfRunning(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // zonky tunes its servers for throw-away test data (-F, i.e. fsync off, and
                    // synchronous_commit off); this one keeps user data, so it must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200");
            if (port != 0) {
                builder.setPort(port);
            }
            postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, dir, lock);
            server.verifyItServesItsDirectory();
            lock.describe(postgres.getPort());
            log.info("embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dir);
            return server;
        } catch (IOException | RuntimeException e) {
            stopQuietly(postgres);
            OrphanedPostmaster.stopAllOn(dir);
            lock.close();
            if (e instanceof EmbeddedDatabaseException known) {
                throw known;
            }
            throw new EmbeddedDatabaseException("could not start the embedded PostgreSQL on data directory " + dir
                    + (port != 0 ? " and port " + port : "") + ": " + e.getMessage(), port != 0
                    ? "Set largo.database.embedded.port=0 (a free port), or stop the process using port " + port
                    : "The PostgreSQL log above says why", e);
        }
    }

    /** The server answering on our port must be the one on our data directory (see the class comment). */
    private void verifyItServesItsDirectory() {
        String served;
        try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select current_setting('data_directory')")) {
            rs.next();
            served = rs.getString(1);
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("the embedded PostgreSQL on port " + port() + " does not answer: "
                    + e.getMessage(), "The PostgreSQL log above says why", e);
        }
        if (!sameDirectory(Path.of(served), dataDir)) {
            throw new EmbeddedDatabaseException("the embedded PostgreSQL for " + dataDir + " did not start (its log"
                    + " above says why): the server answering on port " + port() + " is another one, with data in "
                    + served + "; it is not used", "Set largo.database.embedded.port=0 (a free port) or another port",
                    null);
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private static void stopQuietly(EmbeddedPostgres postgres) {
        if (postgres != null) {
            try {
                postgres.close(); // pg_ctl stop on our data directory: never touches another server
            } catch (IOException | RuntimeException e) {
                log.warn("could not stop the embedded PostgreSQL after a failed start", e);
            }
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public String username() {
        return USER;
    }

    /** The server trusts local connections; the password is ignored. */
    public String password() {
        return "";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            postgres.close();
            log.info("embedded PostgreSQL on {} stopped", dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL on " + dataDir, e);
        } finally {
            lock.close();
        }
    }
}
