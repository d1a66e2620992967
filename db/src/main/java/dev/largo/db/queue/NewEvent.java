package dev.largo.db.queue;

import dev.largo.db.jobs.EventLevel;
import java.util.Objects;
import java.util.UUID;

/** An event to append to a job's log; {@code dataJson} is optional JSON text. */
public record NewEvent(UUID jobId, EventLevel level, String type, String message, String dataJson) {
    public NewEvent {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    public static NewEvent info(UUID jobId, String type, String message) {
        return new NewEvent(jobId, EventLevel.INFO, type, message, null);
    }
}
