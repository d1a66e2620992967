package dev.largo.db.embedded;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Default mode: with no database configured, the application runs its own PostgreSQL on a persistent data
 * directory. A DataSource bean (rather than properties set early) lets tests still point the application
 * elsewhere with {@code @DynamicPropertySource}, which is applied after environment post-processing.
 * The server bean is destroyed after the DataSource that depends on it, so the pool closes first.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@Conditional(OnEmbeddedDatabaseCondition.class)
@ConditionalOnMissingBean(DataSource.class)
@EnableConfigurationProperties(EmbeddedDatabaseProperties.class)
public class EmbeddedDatabaseAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EmbeddedPostgresServer embeddedPostgresServer(EmbeddedDatabaseProperties properties) {
        return EmbeddedPostgresServer.start(properties.dataDir(), properties.port());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer server) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(server.jdbcUrl());
        dataSource.setUsername(server.username());
        dataSource.setPassword(server.password());
        dataSource.setPoolName("largo-embedded");
        return dataSource;
    }
}
