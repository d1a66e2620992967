package dev.largo.db.frontier;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code frontier_evaluations}.
 *
 * @param alphasJson the requested grid, a JSON array of numbers
 * @param pointsJson the evaluated points so far, a JSON array of objects written by the worker
 * @param leaseExpired a running row whose worker stopped renewing its lease
 */
public record FrontierRecord(UUID id, UUID jobId, String tenantId, String status, String alphasJson, double tolerance,
                             String pointsJson, int attempts, int maxAttempts, boolean leaseExpired,
                             String errorMessage, Instant createdAt, Instant finishedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** Whether a worker has it or will take it. */
    public boolean pending() {
        return QUEUED.equals(status) || RUNNING.equals(status);
    }
}
