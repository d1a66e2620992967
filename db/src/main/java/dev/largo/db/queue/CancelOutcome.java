package dev.largo.db.queue;

/** What {@link JobQueue#requestCancel} did. */
public enum CancelOutcome {
    /** The job had not started (validating or queued) and is now cancelled. */
    CANCELLED,
    /** The job is running; its worker sees the request on its next heartbeat and stops. */
    CANCEL_REQUESTED,
    /** The job had already succeeded, failed or been cancelled; nothing changed. */
    ALREADY_FINISHED,
    /** There is no such job. */
    NOT_FOUND
}
