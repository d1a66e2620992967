package dev.largo.worker.runtime;

import dev.largo.db.LargoDbAutoConfiguration;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.JobWakeups;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.worker.limits.LimitsProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Runs a queue worker inside any application that depends on {@code worker} and sets
 * {@code largo.worker.enabled=true}: the worker application does, and so does the service in its default
 * (embedded) mode, which thereby trains the jobs it queues without a second process.
 */
@AutoConfiguration(after = LargoDbAutoConfiguration.class)
@ConditionalOnBooleanProperty("largo.worker.enabled")
@EnableConfigurationProperties({WorkerProperties.class, LimitsProperties.class, DeterminismProperties.class})
public class WorkerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WorkerContext largoWorkerContext(JobQueue queue, JobWakeups wakeups, ProgressWriter progressWriter,
            ArtifactStore artifacts, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            BaseModelRepository models, DatasetRepository datasets, CheckpointRepository checkpoints,
            EvaluationRepository evaluations, AdapterRepository adapters) {
        return new WorkerContext(queue, wakeups, progressWriter, artifacts, jdbc, transactionManager, models, datasets,
                checkpoints, evaluations, adapters);
    }

    @Bean
    @ConditionalOnMissingBean
    QueueWorker largoQueueWorker(WorkerContext context, WorkerProperties properties, LimitsProperties limits,
            DeterminismProperties determinism) {
        // before any job touches libtorch: cuDNN's autotuner off, cuBLAS's workspace checked (GpuDeterminism)
        org.slf4j.LoggerFactory.getLogger(WorkerAutoConfiguration.class).info("determinism: {}",
                String.join("; ", GpuDeterminism.apply(determinism.enabled(), System.getenv())));
        return context.newWorker(properties, limits.datasetLimits());
    }
}
