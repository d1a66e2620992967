package dev.largo.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of the default mode keeps its data, and its database is its own: two instances in two
 * directories never share one, a second instance on the same directory (another process, or this one) is
 * refused naming the running one, a server that cannot start is an error rather than a connection to whatever
 * answers on the port, and the server a killed instance leaves behind does not block the next start.
 */
class EmbeddedPostgresServerTest {

    @Test
    void dataSurvivesStopAndStartOnTheSameDirectory(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("postgres");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0);
                Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select current_setting('fsync') || current_setting('synchronous_commit')")) {
                rs.next();
                assertThat(rs.getString(1)).as("durable, unlike a test database").isEqualTo("onon");
            }
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('still here')");
        }
        assertThat(dataDir.resolve("PG_VERSION")).exists();

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(query(server, "select v from kept")).isEqualTo("still here");
            assertThat(server.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        }
    }

    @Test
    void twoDirectoriesAtOnceEachServeOnlyTheirOwnData(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir.resolve("one/postgres"), 0);
                EmbeddedPostgresServer second = EmbeddedPostgresServer.start(dir.resolve("two/postgres"), 0)) {
            assertThat(first.port()).isNotEqualTo(second.port());
            execute(first, "create table mine (v text); insert into mine values ('first')");
            execute(second, "create table mine (v text); insert into mine values ('second')");
            assertThat(query(first, "select string_agg(v, ',') from mine")).isEqualTo("first");
            assertThat(query(second, "select string_agg(v, ',') from mine")).isEqualTo("second");
            assertThat(Path.of(query(second, "select current_setting('data_directory')")))
                    .isEqualTo(second.dataDir());
        }
    }

    @Test
    void aServerThatCannotStartIsAnErrorNotAConnectionToAnotherServer(@TempDir Path dir) throws Exception {
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(dir.resolve("one/postgres"), 0)) {
            execute(first, "create table mine (v text)");
            Path other = dir.resolve("two/postgres");
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(other, first.port()))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining(other.toString())
                    .hasMessageContaining("port " + first.port())
                    .hasMessageContaining(first.dataDir().toString())
                    .hasMessageContaining("largo.database.embedded.port=0");
            assertThat(other.resolve("postmaster.pid")).doesNotExist();
            assertThat(query(first, "select count(*) from mine")).as("the first is untouched").isEqualTo("0");
            try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(other, 0)) {
                assertThat(query(again, "select count(*) from pg_tables where tablename = 'mine'"))
                        .as("the refused start released the directory, and it never saw the first's data")
                        .isEqualTo("0");
            }
        }
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryIsRefusedAndTheFirstKeepsWorking(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("postgres");
        Process holder = startHolder(dataDir);
        try {
            int port = awaitReady(holder);
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("the data directory " + dataDir + " is in use by another LARGO instance")
                    .hasMessageContaining("pid " + holder.pid())
                    .hasMessageContaining("port " + port);
            assertThat(queryPort(port, "select v from kept")).as("the first keeps working")
                    .isEqualTo("written by pid " + holder.pid());
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(server.dataDir()).as("free again once the first stopped").isEqualTo(dataDir);
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0)).as("also within one process")
                    .isInstanceOf(EmbeddedDatabaseException.class).hasMessageContaining("is in use");
            assertThat(query(server, "select count(*) from kept")).isEqualTo("1");
        }
    }

    @Test
    void theServerOfAKilledInstanceIsStoppedAndItsDataKept(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("postgres");
        Process holder = startHolder(dataDir);
        int port = awaitReady(holder);
        holder.destroyForcibly(); // SIGKILL: no shutdown hook stops its PostgreSQL
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(queryPort(port, "select count(*) from kept")).as("its PostgreSQL outlived it").isEqualTo("1");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0)) {
            assertThat(query(server, "select v from kept")).isEqualTo("written by pid " + holder.pid());
        }
        assertThatThrownBy(() -> queryPort(port, "select 1")).as("the orphan is gone").isInstanceOf(SQLException.class);
    }

    private static Process startHolder(Path dataDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldDataDirectory.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
    }

    /** Reads the holder's output up to its READY line; the port its PostgreSQL listens on. */
    private static int awaitReady(Process holder) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the holder ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(6).strip());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the holder ended without starting:\n" + seen);
    }

    private static void execute(EmbeddedPostgresServer server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(EmbeddedPostgresServer server, String sql) throws SQLException {
        return queryPort(server.port(), sql);
    }

    private static String queryPort(int port, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
