package dev.largo.db.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Another instance, as a separate process for the tests: starts the embedded PostgreSQL on the directory given,
 * writes a row, prints {@code READY <port>} and keeps running until its standard input closes (or it is killed).
 */
public final class HoldDataDirectory {

    private HoldDataDirectory() {
    }

    public static void main(String[] args) throws IOException, SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), 0)) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                    Statement s = c.createStatement()) {
                s.execute("create table if not exists kept (v text)");
                s.execute("insert into kept values ('written by pid " + ProcessHandle.current().pid() + "')");
            }
            System.out.println("READY " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the directory until told to stop
            }
        } catch (EmbeddedDatabaseException e) {
            System.out.println("REFUSED " + e.getMessage());
            System.exit(3);
        }
    }
}
