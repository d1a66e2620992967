package dev.largo.db.queue;

import java.util.UUID;

/**
 * A job a worker now holds: it must heartbeat before the lease expires and end with complete, fail,
 * retryLater, release or markCancelled. {@code attempts} counts this attempt (1 on the first claim), so
 * {@code attempts > 1} means earlier attempts ran and a checkpoint may exist.
 */
public record ClaimedJob(UUID id, String tenantId, int attempts, String specJson, String baseModelId,
        UUID trainingDatasetId, long seed, String methodType) {
}
