package dev.largo.db;

import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.artifacts.PostgresArtifactStore;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.JobWakeups;
import dev.largo.db.queue.LeaseReaper;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.db.queue.QueueStatistics;
import dev.largo.db.queue.QueueProperties;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Everything an application gets by depending on {@code db}: the entities and repositories of
 * {@code dev.largo.db.*} (added to the auto-configuration packages, next to the application's own, so the
 * service and worker need no {@code @EntityScan}), the artifact store, the job queue with its wake-ups,
 * progress writer and lease reaper. Beans an application defines itself take precedence.
 */
@AutoConfiguration(
        before = {HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class},
        after = JdbcTemplateAutoConfiguration.class)
@AutoConfigurationPackage(basePackages = "dev.largo.db")
@EnableConfigurationProperties(QueueProperties.class)
public class LargoDbAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ArtifactStore.class)
    PostgresArtifactStore postgresArtifactStore(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager) {
        return new PostgresArtifactStore(jdbcTemplate, transactionManager);
    }

    @Bean
    @ConditionalOnMissingBean
    JobQueue jobQueue(JdbcTemplate jdbcTemplate, PlatformTransactionManager transactionManager, QueueProperties properties) {
        return new JobQueue(jdbcTemplate, transactionManager, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    dev.largo.db.frontier.FrontierQueue frontierQueue(JdbcTemplate jdbcTemplate) {
        return new dev.largo.db.frontier.FrontierQueue(jdbcTemplate);
    }

    /** Opens its connection only when a worker first waits, so the service alone never holds one. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JobWakeups jobWakeups(DataSource dataSource) {
        return new JobWakeups(dataSource);
    }

    @Bean
    @ConditionalOnMissingBean
    QueueStatistics queueStatistics(JdbcTemplate jdbcTemplate) {
        return new QueueStatistics(jdbcTemplate);
    }

    @Bean
    @ConditionalOnMissingBean
    ProgressWriter progressWriter(JdbcTemplate jdbcTemplate) {
        return new ProgressWriter(jdbcTemplate);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "largo.queue.reaper-enabled", matchIfMissing = true)
    LeaseReaper leaseReaper(JobQueue jobQueue) {
        return new LeaseReaper(jobQueue);
    }
}
