package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/**
 * Lifecycle of one task of a continual job: {@code pending -> running -> succeeded}, or {@code failed} /
 * {@code cancelled} with its job. A task a crashed worker was training goes back to {@code running} when the
 * job resumes.
 */
public enum TaskStatus implements WireValued {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public static TaskStatus fromWire(String value) {
        return WireValued.fromWire(TaskStatus.class, value);
    }
}
