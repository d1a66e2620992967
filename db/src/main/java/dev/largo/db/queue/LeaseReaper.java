package dev.largo.db.queue;

import dev.largo.db.support.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link JobQueue#reapExpiredLeases()} every {@code largo.queue.reaper-interval} while the application
 * runs. Every replica may run one: concurrent reapers skip each other's rows.
 */
public class LeaseReaper extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private final JobQueue queue;

    public LeaseReaper(JobQueue queue) {
        super("largo-lease-reaper", queue.properties().reaperInterval(), queue.properties().reaperInterval());
        this.queue = queue;
    }

    @Override
    protected void runOnce() {
        try {
            int reaped = queue.reapExpiredLeases();
            if (reaped > 0) {
                log.warn("re-queued or failed {} job(s) whose worker stopped heartbeating", reaped);
            }
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; the next round tries again.
            log.warn("reaping expired job leases failed: {}", e.getMessage());
        }
    }
}
