package dev.largo.worker.runtime;

import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.JobWakeups;
import dev.largo.db.queue.ProgressWriter;
import dev.largo.worker.engine.data.DatasetLimits;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What a worker needs from the {@code db} module; {@link #newWorker} assembles a {@link QueueWorker} from it.
 * Spring builds one through {@link WorkerAutoConfiguration}; tests build several workers (with their own
 * names) on one database from it.
 */
public record WorkerContext(JobQueue queue, JobWakeups wakeups, ProgressWriter progressWriter,
                            ArtifactStore artifacts, JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                            BaseModelRepository models, DatasetRepository datasets, CheckpointRepository checkpoints,
                            EvaluationRepository evaluations, AdapterRepository adapters) {

    /** The same context with another queue client (e.g. one that simulates a network partition in a test). */
    public WorkerContext withQueue(JobQueue other) {
        return new WorkerContext(other, wakeups, progressWriter, artifacts, jdbc, transactionManager, models, datasets,
                checkpoints, evaluations, adapters);
    }

    /**
     * A worker (not started) with these settings.
     *
     * @throws IllegalStateException if the device setting cannot be honoured on this machine
     */
    public QueueWorker newWorker(WorkerProperties properties) {
        return newWorker(properties, DatasetLimits.DEFAULT);
    }

    /** As {@link #newWorker(WorkerProperties)}, reading datasets within {@code limits} ({@code largo.limits.*}). */
    public QueueWorker newWorker(WorkerProperties properties, DatasetLimits limits) {
        String name = properties.resolvedName();
        ArtifactStaging staging = new ArtifactStaging(artifacts);
        JobRecords records = new JobRecords(jdbc, transactionManager, artifacts, checkpoints, evaluations, adapters,
                queue, progressWriter);
        JobInputs inputs = new JobInputs(staging, models, datasets, limits);
        ContinualRecords continualRecords = new ContinualRecords(records, jdbc, queue, progressWriter);
        JobExecution execution = new JobExecution(properties, name, properties.device().resolve(), queue, jdbc,
                transactionManager, progressWriter, records, inputs, staging, continualRecords);
        FrontierExecution frontiers = new FrontierExecution(properties, name, properties.device().resolve(),
                new dev.largo.db.frontier.FrontierQueue(jdbc), queue.properties().lease(), jdbc, inputs, staging);
        return new QueueWorker(properties, name, queue, wakeups, execution, frontiers);
    }
}
