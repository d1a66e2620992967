package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;
import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a fine-tuning job. {@code validating -> queued -> running -> succeeded | failed | cancelled};
 * a running job whose worker disappears goes back to {@code queued} (see the job queue).
 */
public enum JobStatus implements WireValued {
    VALIDATING,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Set<JobStatus> TERMINAL = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public static JobStatus fromWire(String value) {
        return WireValued.fromWire(JobStatus.class, value);
    }
}
