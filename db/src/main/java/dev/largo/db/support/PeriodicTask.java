package dev.largo.db.support;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Background work that runs every {@code interval} (fixed delay) on a daemon thread of its own while the
 * application runs: started and stopped with the application context. {@link #runOnce()} must handle its own
 * errors; one that escapes ends the schedule.
 */
@RequiredArgsConstructor(access = AccessLevel.PROTECTED)
public abstract class PeriodicTask implements SmartLifecycle {

    private final String threadName;
    private final Duration initialDelay;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    protected abstract void runOnce();

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
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
