package dev.largo.service.jobs;

import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.largo.api.model.CheckpointList;
import dev.largo.api.model.ContinueFineTuningJobRequest;
import dev.largo.api.model.CreateFineTuningJobRequest;
import dev.largo.api.model.EvaluationList;
import dev.largo.api.model.FineTuningJob;
import dev.largo.api.model.FineTuningJobList;
import dev.largo.api.model.FineTuningJobStatus;
import dev.largo.api.model.JobEventList;
import dev.largo.api.model.JobMetricList;
import dev.largo.api.server.FineTuningApi;
import lombok.RequiredArgsConstructor;

/** {@code /v1/fine-tuning/jobs}. */
@RestController
@RequiredArgsConstructor
public class FineTuningJobsController implements FineTuningApi {

    private final JobCreation creation;
    private final JobCancellation cancellation;
    private final JobReads reads;
    private final JobContinuation continuation;

    @Override
    public ResponseEntity<FineTuningJob> createFineTuningJob(CreateFineTuningJobRequest request, String idempotencyKey) {
        return creation.create(request, idempotencyKey).toResponse();
    }

    @Override
    public ResponseEntity<FineTuningJobList> listFineTuningJobs(FineTuningJobStatus status, String after, Integer limit) {
        return ResponseEntity.ok(reads.list(status, after, limit));
    }

    @Override
    public ResponseEntity<FineTuningJob> getFineTuningJob(UUID jobId) {
        return ResponseEntity.ok(reads.get(jobId));
    }

    @Override
    public ResponseEntity<FineTuningJob> cancelFineTuningJob(UUID jobId, String idempotencyKey) {
        return cancellation.cancel(jobId, idempotencyKey).toResponse();
    }

    @Override
    public ResponseEntity<FineTuningJob> continueFineTuningJob(UUID jobId, ContinueFineTuningJobRequest request,
            String idempotencyKey) {
        return continuation.extend(jobId, request, idempotencyKey).toResponse();
    }

    @Override
    public ResponseEntity<JobEventList> listFineTuningJobEvents(UUID jobId, Long after, Integer limit) {
        return ResponseEntity.ok(reads.events(jobId, after, limit));
    }

    @Override
    public ResponseEntity<JobMetricList> listFineTuningJobMetrics(UUID jobId, Long after, Integer limit, String name) {
        return ResponseEntity.ok(reads.metrics(jobId, after, limit, name));
    }

    @Override
    public ResponseEntity<CheckpointList> listFineTuningJobCheckpoints(UUID jobId) {
        return ResponseEntity.ok(reads.checkpoints(jobId));
    }

    @Override
    public ResponseEntity<EvaluationList> listFineTuningJobEvaluations(UUID jobId) {
        return ResponseEntity.ok(reads.evaluations(jobId));
    }
}
