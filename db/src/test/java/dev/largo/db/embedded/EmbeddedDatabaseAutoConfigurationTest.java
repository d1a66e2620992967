package dev.largo.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.testsupport.PostgresTestDatabase;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The default mode: no database configured means an embedded, migrated PostgreSQL on the data directory. */
class EmbeddedDatabaseAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EmbeddedDatabaseAutoConfiguration.class,
                    DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, FlywayAutoConfiguration.class));

    @Test
    void startsMigratedEmbeddedDatabaseWhenNoUrlIsConfigured(@TempDir Path dir) {
        runner.withPropertyValues("largo.database.embedded.data-dir=" + dir.resolve("pg"), "largo.database.embedded.port=0")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(EmbeddedPostgresServer.class);
                    EmbeddedPostgresServer server = context.getBean(EmbeddedPostgresServer.class);
                    assertThat(server.dataDir()).isEqualTo(dir.resolve("pg").toAbsolutePath().normalize());
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("select count(*) from jobs", Long.class)).isZero();
                    assertThat(jdbc.queryForObject("select inet_server_port()", Integer.class)).isEqualTo(server.port());
                });
    }

    @Test
    void backsOffWhenADatabaseUrlIsConfigured() {
        PostgresTestDatabase db = PostgresTestDatabase.get();
        runner.withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "spring.datasource.username=" + db.username(),
                        "spring.datasource.password=" + db.password())
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedPostgresServer.class);
                    assertThat(context.getBean(DataSource.class).getConnection().getMetaData().getURL())
                            .startsWith(db.jdbcUrl().split("\\?")[0]);
                });
    }

    @Test
    void disabledWithoutUrlRequiresAnExternalDatabase() {
        runner.withPropertyValues("largo.database.embedded.enabled=false")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("Failed to determine a suitable driver class"));
    }
}
