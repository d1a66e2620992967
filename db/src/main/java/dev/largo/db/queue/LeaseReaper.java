package dev.largo.db.queue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link JobQueue#reapExpiredLeases()} every {@code largo.queue.reaper-interval} while the application
 * runs. Every replica may run one: concurrent reapers skip each other's rows.
 */
public class LeaseReaper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private final JobQueue queue;
    private ScheduledExecutorService scheduler;

    public LeaseReaper(JobQueue queue) {
        this.queue = queue;
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        long intervalMs = queue.properties().reaperInterval().toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "largo-lease-reaper");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::reapOnce, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private void reapOnce() {
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

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
