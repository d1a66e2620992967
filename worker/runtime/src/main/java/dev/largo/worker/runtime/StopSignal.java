package dev.largo.worker.runtime;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Why a running job must stop, set from other threads (heartbeat, cancel poll, shutdown) and read by the
 * training thread before every step. The strongest reason wins: a lost lease overrides everything (the job is
 * no longer ours, write nothing), a cancel overrides a shutdown (the user's request is final).
 */
final class StopSignal {

    enum Reason {
        /** The process is shutting down: checkpoint, then release the job so another worker resumes it. */
        SHUTDOWN,
        /** The user cancelled: end the job {@code cancelled}, keeping its checkpoints. */
        CANCEL,
        /** Another worker may own the job now: stop without writing anything more. */
        LEASE_LOST
    }

    private final AtomicReference<Reason> reason = new AtomicReference<>();

    void request(Reason requested) {
        reason.accumulateAndGet(requested, (current, next) -> current == null || next.ordinal() > current.ordinal()
                ? next : current);
    }

    /** Null while the job should go on. */
    Reason reason() {
        return reason.get();
    }

    boolean stopRequested() {
        return reason.get() != null;
    }

    /** For the engine's cancellation hook, checked before every training step. */
    BooleanSupplier asSupplier() {
        return this::stopRequested;
    }
}
