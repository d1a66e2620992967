package dev.largo.service.frontier;

import dev.largo.api.model.Frontier;
import dev.largo.api.model.FrontierRequest;
import dev.largo.db.frontier.FrontierQueue;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobStatus;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import dev.largo.service.jobs.JobReads;
import dev.largo.worker.engine.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Queues a job's robustness-frontier evaluation (issue #16) after checking what the contract promises: the job
 * exists for this tenant (else 404), has succeeded (else 409), no evaluation of it is still pending (409), and the
 * grid is a set of alphas in [0, 1] (else 400 naming the field).
 */
@Service
public class FrontierRequests {

    static final String RESOURCE = "fine_tuning.frontier";
    static final int DEFAULT_POINTS = 11;
    static final double DEFAULT_TOLERANCE = 0.01;

    private final FrontierQueue queue;
    private final JobReads jobs;
    private final IdempotentPosts posts;
    private final FrontierViews views;

    public FrontierRequests(FrontierQueue queue, JobReads jobs, IdempotentPosts posts, FrontierViews views) {
        this.queue = queue;
        this.jobs = jobs;
        this.posts = posts;
        this.views = views;
    }

    public Created<Frontier> request(UUID jobId, FrontierRequest request, String idempotencyKey) {
        FrontierRequest given = request == null ? new FrontierRequest() : request;
        String fingerprint = RequestFingerprint.of("POST /v1/fine-tuning/jobs/{id}/frontier", jobId,
                Json.MAPPER.writeValueAsString(given));
        return posts.run(idempotencyKey, fingerprint, RESOURCE, HttpStatus.ACCEPTED, () -> {
            JobEntity job = jobs.find(jobId);
            if (job.getStatus() != JobStatus.SUCCEEDED) {
                throw ApiProblem.conflict("job-not-succeeded", "job " + jobId + " is "
                        + job.getStatus().wireValue() + "; a frontier interpolates a succeeded job's fine-tuned model");
            }
            List<Double> alphas = alphas(given);
            double tolerance = given.getTolerance() == null ? DEFAULT_TOLERANCE : given.getTolerance();
            if (!(tolerance >= 0 && tolerance <= 1)) {
                throw ApiProblem.badParam("tolerance", "must be in [0, 1], got " + tolerance);
            }
            queue.request(jobId, job.getTenantId(), Json.MAPPER.writeValueAsString(alphas), tolerance)
                    .orElseThrow(() -> ApiProblem.conflict("frontier-pending", "a frontier evaluation of job " + jobId
                            + " is still queued or running; wait for it (GET this path) before asking again"));
            return jobId.toString();
        }, id -> views.get(UUID.fromString(id), null), Frontier.class);
    }

    static List<Double> alphas(FrontierRequest request) {
        if (request.getAlphas() == null || request.getAlphas().isEmpty()) {
            int points = request.getPoints() == null ? DEFAULT_POINTS : request.getPoints();
            if (points < 2 || points > 101) {
                throw ApiProblem.badParam("points", "must be between 2 and 101, got " + points);
            }
            return dev.largo.worker.engine.frontier.Frontier.grid(points);
        }
        List<Double> given = request.getAlphas();
        for (int i = 0; i < given.size(); i++) {
            Double alpha = given.get(i);
            if (alpha == null || !(alpha >= 0 && alpha <= 1)) {
                throw ApiProblem.badParam("alphas[" + i + "]", "must be a number in [0, 1], got " + alpha);
            }
        }
        TreeSet<Double> distinct = new TreeSet<>(given);
        if (distinct.size() != given.size()) {
            throw ApiProblem.badParam("alphas", "must not repeat an alpha, got " + given);
        }
        if (distinct.size() < 2) {
            throw ApiProblem.badParam("alphas", "needs at least 2 alphas, got " + given);
        }
        return new ArrayList<>(distinct);
    }
}
