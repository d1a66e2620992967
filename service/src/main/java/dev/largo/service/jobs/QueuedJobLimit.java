package dev.largo.service.jobs;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.largo.service.errors.ApiProblem;

/**
 * How many jobs one tenant may have waiting (validating or queued) at once, so that one tenant cannot fill
 * the queue for everyone; running jobs do not count.
 *
 * @param maxQueuedJobsPerTenant the limit (default 100); a job beyond it is refused with 429
 */
@ConfigurationProperties("largo.limits")
public record QueuedJobLimit(Integer maxQueuedJobsPerTenant) {

    static final String PROPERTY = "largo.limits.max-queued-jobs-per-tenant";

    public QueuedJobLimit {
        if (maxQueuedJobsPerTenant == null) {
            maxQueuedJobsPerTenant = 100;
        }
        if (maxQueuedJobsPerTenant < 1) {
            throw new IllegalArgumentException(PROPERTY + " must be at least 1, not " + maxQueuedJobsPerTenant);
        }
    }

    /**
     * Refuses one more job for {@code tenantId} when it has reached the limit. Call inside the transaction
     * that inserts the job: the advisory lock makes the count and the insert of one tenant's concurrent
     * requests happen one after the other, so together they cannot pass the limit.
     */
    void check(JdbcTemplate jdbc, String tenantId) {
        jdbc.queryForList("select 1 from (select pg_advisory_xact_lock(hashtext('largo-queued-jobs:' || ?))) locked",
                tenantId);
        List<Long> waiting = jdbc.queryForList("select count(*) from jobs where tenant_id = ?"
                + " and status in ('validating', 'queued')", Long.class, tenantId);
        if (waiting.get(0) >= maxQueuedJobsPerTenant) {
            throw new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "queued-job-limit", "Too many queued jobs",
                    "this tenant already has " + waiting.get(0) + " jobs waiting to run, the limit ("
                            + PROPERTY + ") is " + maxQueuedJobsPerTenant
                            + "; wait until some start or cancel some", List.of());
        }
    }
}
