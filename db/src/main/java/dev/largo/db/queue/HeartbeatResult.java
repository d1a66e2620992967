package dev.largo.db.queue;

/**
 * Answer to a heartbeat. {@code stillOwner == false}: the lease was lost (expired and reaped, or the job was
 * finished elsewhere); stop working on the job without writing results. {@code cancelRequested}: stop at the
 * next step boundary and call {@link JobQueue#markCancelled}.
 */
public record HeartbeatResult(boolean stillOwner, boolean cancelRequested) {
}
