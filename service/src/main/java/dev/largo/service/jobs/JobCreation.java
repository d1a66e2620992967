package dev.largo.service.jobs;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.FineTuningJob;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.jobs.JobTaskEntity;
import dev.largo.db.jobs.JobTaskRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Creates a job: complete the spec with its defaults, check the tenant's queued-job limit and the spec's
 * references, insert the row and queue it (which wakes the workers when the transaction commits).
 */
@Service
@RequiredArgsConstructor
public class JobCreation {

    static final String RESOURCE = "fine_tuning.job";

    private final JobReferences references;
    private final JobRepository jobs;
    private final JobTaskRepository tasks;
    private final JobQueue queue;
    private final JobSpecJson specJson;
    private final JobReads reads;
    private final IdempotentPosts posts;
    private final CurrentTenant tenant;
    private final QueuedJobLimit limit;
    private final JdbcTemplate jdbc;

    public Created<FineTuningJob> create(CreateFineTuningJobRequest request, String idempotencyKey) {
        CreateFineTuningJobRequest spec = JobSpecDefaults.complete(request,
                references.defaultLoraTargets(request.getBaseModel()));
        String fingerprint = RequestFingerprint.of("POST /v1/fine-tuning/jobs", specJson.write(spec));
        Function<String, FineTuningJob> load = id -> reads.get(UUID.fromString(id));
        Optional<Created<FineTuningJob>> replay = posts.replay(idempotencyKey, fingerprint, RESOURCE, load, FineTuningJob.class);
        if (replay.isPresent()) {
            return replay.get();
        }
        return posts.run(idempotencyKey, fingerprint, RESOURCE, HttpStatus.CREATED, () -> insert(spec), load, FineTuningJob.class);
    }

    private String insert(CreateFineTuningJobRequest spec) {
        limit.check(jdbc, tenant.id());
        references.resolve(spec);
        JobEntity job = new JobEntity(UUID.randomUUID());
        job.setTenantId(tenant.id());
        job.setBaseModelId(spec.getBaseModel());
        job.setTrainingDatasetId(spec.getTrainingDataset());
        job.setSpec(specJson.write(spec));
        job.setMethodType(spec.getMethod().getType().getValue());
        job.setSeed(spec.getSeed());
        job.setSuffix(spec.getSuffix());
        jobs.saveAndFlush(job);
        if (spec.getTasks() != null) {
            for (int i = 0; i < spec.getTasks().size(); i++) {
                tasks.save(new JobTaskEntity(job.getId(), i, spec.getTasks().get(i).getTrainingDataset()));
            }
            tasks.flush();
        }
        if (!queue.enqueue(job.getId())) {
            throw new IllegalStateException("job " + job.getId() + " could not be queued right after its creation");
        }
        return job.getId().toString();
    }
}
