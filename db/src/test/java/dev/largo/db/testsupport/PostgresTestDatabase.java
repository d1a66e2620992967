package dev.largo.db.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * One real PostgreSQL for all tests of a JVM: a Testcontainers {@code postgres:17-alpine} when Docker is
 * available, otherwise an embedded PostgreSQL 17 (zonky) from the binaries on the classpath.
 *
 * <p>Override the choice with {@code -Dlargo.test.database=docker|embedded} (or the environment variable
 * {@code LARGO_TEST_DATABASE}). Use from Spring tests with
 * <pre>{@code
 * @DynamicPropertySource
 * static void database(DynamicPropertyRegistry registry) {
 *     PostgresTestDatabase.registerProperties(registry);
 * }
 * }</pre>
 * Tests share the database: clean up with {@link #truncateAllTables(DataSource)} where a test needs an
 * empty schema.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class PostgresTestDatabase {

    private static final Logger log = LoggerFactory.getLogger(PostgresTestDatabase.class);
    private static final String IMAGE = "postgres:17-alpine";

    private static PostgresTestDatabase instance;

    private final String kind;
    private final String jdbcUrl;
    private final String username;
    private final String password;

    /** The shared database, started on first use. */
    public static synchronized PostgresTestDatabase get() {
        if (instance == null) {
            instance = useDocker() ? Containers.startPostgres() : startEmbedded();
            log.info("test PostgreSQL ({}) at {}", instance.kind, instance.jdbcUrl);
        }
        return instance;
    }

    /** Points {@code spring.datasource.*} at the shared database (and keeps the embedded default mode off). */
    public static void registerProperties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase db = get();
        registry.add("spring.datasource.url", db::jdbcUrl);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        registry.add("largo.database.embedded.enabled", () -> "false");
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** "docker" or "embedded". */
    public String kind() {
        return kind;
    }

    /** A non-pooled DataSource on the shared database, for tests and benchmarks without Spring. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(username);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** Empties every table of the public schema except Flyway's history. */
    public static void truncateAllTables(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                var statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (var rs = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'"
                    + " and tablename <> 'flyway_schema_history'")) {
                while (rs.next()) {
                    tables.add('"' + rs.getString(1) + '"');
                }
            }
            if (!tables.isEmpty()) {
                statement.execute("truncate table " + String.join(", ", tables) + " restart identity cascade");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not truncate the test database", e);
        }
    }

    private static boolean useDocker() {
        String choice = System.getProperty("largo.test.database", System.getenv("LARGO_TEST_DATABASE"));
        if (choice != null && !choice.isBlank()) {
            return switch (choice.trim().toLowerCase(Locale.ROOT)) {
                case "docker" -> true;
                case "embedded" -> false;
                default -> throw new IllegalArgumentException(
                        "largo.test.database must be 'docker' or 'embedded', not '" + choice + "'");
            };
        }
        if (!isOnClasspath("org.testcontainers.postgresql.PostgreSQLContainer")) {
            log.info("Testcontainers is not on the test classpath (add org.testcontainers:testcontainers-postgresql"
                    + " to use Docker); using the embedded PostgreSQL");
            return false;
        }
        try {
            return Containers.dockerAvailable();
        } catch (Throwable e) {
            // A Docker client without a reachable daemon (or a broken setup) means: no Docker.
            log.debug("Docker is not usable for tests, using the embedded PostgreSQL", e);
            return false;
        }
    }

    private static boolean isOnClasspath(String className) {
        try {
            Class.forName(className, false, PostgresTestDatabase.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Everything that touches Testcontainers, in its own class so that modules whose tests lack
     * Testcontainers can still load {@link PostgresTestDatabase} and use the embedded database.
     */
    private static final class Containers {
        static boolean dockerAvailable() {
            return DockerClientFactory.instance().isDockerAvailable();
        }

        static PostgresTestDatabase startPostgres() {
            PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                    .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=300");
            container.start();
            // Ryuk removes the container when the JVM exits.
            return new PostgresTestDatabase("docker", container.getJdbcUrl(), container.getUsername(),
                    container.getPassword());
        }
    }

    private static PostgresTestDatabase startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    // Durability is irrelevant for a throw-away test database; speed is not.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    log.warn("could not stop the embedded test PostgreSQL", e);
                }
            }, "stop-test-postgres"));
            return new PostgresTestDatabase("embedded", postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded test PostgreSQL", e);
        }
    }
}
