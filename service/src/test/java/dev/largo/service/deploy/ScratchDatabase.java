package dev.largo.service.deploy;

import dev.largo.db.testsupport.PostgresTestDatabase;
import java.net.URI;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A database of its own on the shared test PostgreSQL, so these tests neither see nor disturb the tables
 * other tests use. Dropped on close.
 */
final class ScratchDatabase implements AutoCloseable {

    private final PostgresTestDatabase server = PostgresTestDatabase.get();
    private final String name = "largo_deploy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String jdbcUrl;

    private ScratchDatabase() {
        new JdbcTemplate(server.dataSource()).execute("create database " + name);
        URI url = URI.create(server.jdbcUrl().substring("jdbc:".length()));
        jdbcUrl = "jdbc:" + url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + "/" + name
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    }

    /** An empty database: the processes under test migrate it themselves. */
    static ScratchDatabase empty() {
        return new ScratchDatabase();
    }

    /** A database with the schema of db's Flyway migrations. */
    static ScratchDatabase migrated() {
        ScratchDatabase database = new ScratchDatabase();
        Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").load().migrate();
        return database;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String username() {
        return server.username();
    }

    String password() {
        return server.password();
    }

    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(server.username());
        dataSource.setPassword(server.password());
        return dataSource;
    }

    JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource());
    }

    @Override
    public void close() {
        new JdbcTemplate(server.dataSource()).execute("drop database if exists " + name + " with (force)");
    }
}
