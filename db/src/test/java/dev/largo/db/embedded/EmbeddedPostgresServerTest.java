package dev.largo.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, 0);
                Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select v from kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
            assertThat(server.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        }
    }
}
