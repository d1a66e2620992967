package dev.largo.db;

import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.artifacts.PostgresArtifactStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Everything an application gets by depending on {@code db}: the entities and repositories of
 * {@code dev.largo.db.*} (added to the auto-configuration packages, next to the application's own, so the
 * service and worker need no {@code @EntityScan}), the artifact store, and the job queue.
 */
@AutoConfiguration(
        before = {HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class},
        after = JdbcTemplateAutoConfiguration.class)
@AutoConfigurationPackage(basePackages = "dev.largo.db")
public class LargoDbAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ArtifactStore.class)
    PostgresArtifactStore postgresArtifactStore(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager) {
        return new PostgresArtifactStore(jdbcTemplate, transactionManager);
    }
}
