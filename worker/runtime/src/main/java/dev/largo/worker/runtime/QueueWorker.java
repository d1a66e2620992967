package dev.largo.worker.runtime;

import dev.largo.db.queue.ClaimedJob;
import dev.largo.db.queue.JobQueue;
import dev.largo.db.queue.JobWakeups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker process's main loop, on {@code largo.worker.concurrency} threads: wait for work (LISTEN/NOTIFY,
 * polling every {@code largo.queue.poll-interval} anyway), claim, run the job ({@link JobExecution}), repeat.
 *
 * <p>Stopping (SIGTERM runs Spring's shutdown hook, which stops this lifecycle before the database pool
 * closes): idle threads stop waiting at once; running jobs are asked to stop at their next step boundary,
 * checkpoint and release their job so another worker resumes it; {@link #stop()} waits for that up to
 * {@code largo.worker.shutdown-timeout}.
 */
public class QueueWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final Duration CLAIM_ERROR_BACKOFF = Duration.ofSeconds(2);

    private final WorkerProperties properties;
    private final String workerName;
    private final JobQueue queue;
    private final JobWakeups wakeups;
    private final JobExecution execution;
    /** Robustness-frontier evaluations, claimed when no training job is ready; null: this worker takes none. */
    private final FrontierExecution frontiers;
    private final Set<StopSignal> running = ConcurrentHashMap.newKeySet();
    private final Set<Thread> idle = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    public QueueWorker(WorkerProperties properties, String workerName, JobQueue queue, JobWakeups wakeups,
            JobExecution execution) {
        this(properties, workerName, queue, wakeups, execution, null);
    }

    public QueueWorker(WorkerProperties properties, String workerName, JobQueue queue, JobWakeups wakeups,
            JobExecution execution, FrontierExecution frontiers) {
        this.frontiers = frontiers;
        this.properties = properties;
        this.workerName = workerName;
        this.queue = queue;
        this.wakeups = wakeups;
        this.execution = execution;
    }

    public String name() {
        return workerName;
    }

    @Override
    public synchronized void start() {
        if (!threads.isEmpty()) {
            return;
        }
        stopping = false;
        for (int i = 0; i < properties.concurrency(); i++) {
            Thread thread = new Thread(this::loop, "largo-worker-" + i);
            threads.add(thread);
            thread.start();
        }
        log.info("worker {} started: {} thread(s), work directory {}", workerName, threads.size(),
                properties.resolvedWorkDir());
    }

    private void loop() {
        TrainingThreads.prepareCurrentThread();
        while (!stopping) {
            StopSignal signal = new StopSignal();
            running.add(signal);
            try {
                Optional<ClaimedJob> claimed = claim();
                if (claimed.isPresent()) {
                    // A stop that came between registering the signal and the claim is seen here.
                    if (stopping) {
                        signal.request(StopSignal.Reason.SHUTDOWN);
                    }
                    execution.run(claimed.get(), signal);
                } else if (!runFrontier(signal) && !stopping) {
                    awaitWork();
                }
            } catch (RuntimeException | Error e) {
                // JobExecution ends every attempt itself; what gets here (a native library error, say) must
                // not silently end this thread while the process looks alive. The job's lease runs out and
                // the reaper retries it up to its attempt limit.
                log.error("worker {}: unexpected failure, going on after {} s", workerName,
                        CLAIM_ERROR_BACKOFF.toSeconds(), e);
                sleep(CLAIM_ERROR_BACKOFF);
            } finally {
                running.remove(signal);
            }
        }
    }

    /** Claims and runs one frontier evaluation if one is waiting; false when there was none. */
    private boolean runFrontier(StopSignal signal) {
        if (frontiers == null || stopping) {
            return false;
        }
        Optional<dev.largo.db.frontier.FrontierQueue.Claimed> claimed;
        try {
            claimed = frontiers.claim();
        } catch (RuntimeException e) {
            log.warn("worker {}: claiming a frontier evaluation failed: {}", workerName, e.getMessage());
            return false;
        }
        if (claimed.isEmpty()) {
            return false;
        }
        if (stopping) {
            signal.request(StopSignal.Reason.SHUTDOWN);
        }
        frontiers.run(claimed.get(), signal);
        return true;
    }

    private Optional<ClaimedJob> claim() {
        try {
            return queue.claim(workerName);
        } catch (RuntimeException e) {
            log.warn("worker {}: claiming failed, retrying in {} s: {}", workerName, CLAIM_ERROR_BACKOFF.toSeconds(),
                    e.getMessage());
            sleep(CLAIM_ERROR_BACKOFF);
            return Optional.empty();
        }
    }

    private void awaitWork() {
        idle.add(Thread.currentThread());
        try {
            if (!stopping) {
                wakeups.awaitWork(queue.properties().pollInterval());
            }
        } catch (InterruptedException e) {
            // stop() wakes idle threads this way; the loop condition decides.
        } finally {
            idle.remove(Thread.currentThread());
            Thread.interrupted();
        }
    }

    private void sleep(Duration duration) {
        idle.add(Thread.currentThread());
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            // woken by stop()
        } finally {
            idle.remove(Thread.currentThread());
            Thread.interrupted();
        }
    }

    @Override
    public void stop() {
        List<Thread> toJoin;
        synchronized (this) {
            if (threads.isEmpty()) {
                return;
            }
            stopping = true;
            toJoin = List.copyOf(threads);
            threads.clear();
        }
        running.forEach(signal -> signal.request(StopSignal.Reason.SHUTDOWN));
        idle.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + properties.shutdownTimeout().toNanos();
        for (Thread thread : toJoin) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (thread.isAlive()) {
                log.warn("worker {}: {} still running after {}; its job's lease will expire and another worker will"
                        + " resume it", workerName, thread.getName(), properties.shutdownTimeout());
            }
        }
        log.info("worker {} stopped", workerName);
    }

    @Override
    public synchronized boolean isRunning() {
        return !threads.isEmpty();
    }
}
