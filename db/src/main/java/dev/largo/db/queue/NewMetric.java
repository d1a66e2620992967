package dev.largo.db.queue;

import java.util.Objects;
import java.util.UUID;

/** One metric value of a job at a step (e.g. {@code train_loss}, {@code gamma/<tensor>}). */
public record NewMetric(UUID jobId, long step, Integer epoch, String name, double value) {
    public NewMetric {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(name, "name");
    }
}
