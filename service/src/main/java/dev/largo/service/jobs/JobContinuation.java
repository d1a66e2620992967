package dev.largo.service.jobs;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import dev.largo.api.model.ContinualTask;
import dev.largo.api.model.ContinueFineTuningJobRequest;
import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.FineTuningJob;
import dev.largo.api.model.MethodType;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.jobs.JobTaskEntity;
import dev.largo.db.jobs.JobTaskRepository;
import dev.largo.db.queue.JobQueue;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Extends a succeeded continual job with one more task ({@code POST /v1/fine-tuning/jobs/{id}/continue}): the
 * task joins the job's spec and its task rows, and the job is queued again. The worker that claims it resumes
 * from the job's last checkpoint, which holds the state after the last task, and trains only the new task; the
 * earlier tasks' evaluations, accuracy-matrix rows and adapters stay as they are.
 */
@Service
@RequiredArgsConstructor
public class JobContinuation {

    private final JobReads reads;
    private final JobReferences references;
    private final JobRepository jobs;
    private final JobTaskRepository tasks;
    private final JobQueue queue;
    private final JobSpecJson specJson;
    private final IdempotentPosts posts;
    private final JdbcTemplate jdbc;
    private final QueuedJobLimit limit;
    private final CurrentTenant tenant;

    public Created<FineTuningJob> extend(UUID jobId, ContinueFineTuningJobRequest request, String idempotencyKey) {
        String fingerprint = RequestFingerprint.of("POST /v1/fine-tuning/jobs/{id}/continue", jobId,
                specJson.write(request));
        return posts.run(idempotencyKey, fingerprint, JobCreation.RESOURCE, HttpStatus.OK, () -> {
            // the row lock (taken before the job is read) serialises concurrent extensions: the second one reads
            // the job queued again and is refused
            jdbc.queryForList("select id from jobs where id = ? for update", UUID.class, jobId);
            JobEntity job = reads.find(jobId);
            CreateFineTuningJobRequest spec = specJson.read(job.getSpec());
            if (spec.getTasks() == null) {
                throw ApiProblem.conflict("job-not-continual", "job " + jobId + " trains one dataset; only a continual"
                        + " job (created with tasks) can be extended with another task");
            }
            if (spec.getMethod().getType() == MethodType.JOINT) {
                throw ApiProblem.conflict("job-not-extensible", "job " + jobId + " trained all its tasks at once"
                        + " (joint); it has no sequence to extend; create a new joint job with every task");
            }
            if (job.getStatus() != JobStatus.SUCCEEDED) {
                throw ApiProblem.conflict("job-not-succeeded", "job " + jobId + " is " + job.getStatus().wireValue()
                        + "; only a succeeded continual job can be extended with another task");
            }
            // queued again, the job counts against the tenant's waiting jobs like a new one
            limit.check(jdbc, tenant.id());
            List<ContinualTask> existing = spec.getTasks();
            ContinualTask task = JobSpecDefaults.task(request.getTask(), "task", existing);
            references.resolveAddedTask(spec, task, "task");
            int index = existing.size();
            existing.add(task);
            job.setSpec(specJson.write(spec));
            jobs.saveAndFlush(job);
            tasks.saveAndFlush(new JobTaskEntity(jobId, index, task.getTrainingDataset()));
            if (!queue.reopen(jobId, (double) index / existing.size())) {
                throw ApiProblem.conflict("job-not-succeeded", "job " + jobId + " changed while it was being extended;"
                        + " try again");
            }
            return jobId.toString();
        }, id -> reads.get(UUID.fromString(id)), FineTuningJob.class);
    }
}
