package dev.largo.service.jobs;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import dev.largo.api.model.FineTuningJob;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.queue.CancelOutcome;
import dev.largo.db.queue.JobQueue;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import lombok.RequiredArgsConstructor;

/**
 * Cancels a job through the queue: one that has not started is cancelled at once, a running one is flagged
 * for its worker (which stops within a step). Cancelling a cancelled job answers with it unchanged; a
 * succeeded or failed job cannot be cancelled.
 */
@Service
@RequiredArgsConstructor
public class JobCancellation {

    private final JobQueue queue;
    private final JobReads reads;
    private final IdempotentPosts posts;

    public Created<FineTuningJob> cancel(UUID jobId, String idempotencyKey) {
        String fingerprint = RequestFingerprint.of("POST /v1/fine-tuning/jobs/{id}/cancel", jobId);
        return posts.run(idempotencyKey, fingerprint, JobCreation.RESOURCE, HttpStatus.OK, () -> {
            JobEntity job = reads.find(jobId);
            CancelOutcome outcome = queue.requestCancel(jobId);
            if (outcome == CancelOutcome.NOT_FOUND) {
                throw ApiProblem.notFound("fine-tuning job", jobId);
            }
            if (outcome == CancelOutcome.ALREADY_FINISHED && job.getStatus() != JobStatus.CANCELLED) {
                throw ApiProblem.conflict("job-finished", "job " + jobId + " has already "
                        + job.getStatus().wireValue() + "; only a job that has not finished can be cancelled");
            }
            return jobId.toString();
        }, id -> reads.get(UUID.fromString(id)), FineTuningJob.class);
    }
}
