package dev.largo.db.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import lombok.RequiredArgsConstructor;

/**
 * Wakes idle workers when a job is enqueued ({@code LISTEN largo_jobs}).
 *
 * <p>One background thread holds a dedicated connection (opened with the pool's settings but outside the
 * pool, so it never takes a pool slot) and turns notifications into wake-up permits; any number of worker
 * threads wait in {@link #awaitWork}. A notification that arrives while no one waits is kept as a permit, so
 * a worker that finds the queue empty and then waits is not left sleeping by a job enqueued in between.
 * If the connection drops, the thread reconnects with backoff and wakes the waiters once, since
 * notifications may have been missed meanwhile. Callers always poll after {@code maxWait} anyway, so a
 * lost notification costs latency, never a job.
 */
@RequiredArgsConstructor
public class JobWakeups implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobWakeups.class);

    /** Permits beyond this are pointless: each only makes an idle worker look at the queue once more. */
    private static final int MAX_PERMITS = 64;
    private static final int RECEIVE_TIMEOUT_MS = 500;
    private static final long VALIDATE_AFTER_SILENCE_MS = 30_000;
    private static final long MAX_RECONNECT_DELAY_MS = 10_000;

    private final DataSource dataSource;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int permits;
    private boolean listening;
    private boolean closed;
    private Thread listener;

    /**
     * Waits until a job may be ready or {@code maxWait} passes. Starts listening on first use.
     *
     * @return true if woken by a notification (claim now), false on timeout (poll anyway)
     */
    public boolean awaitWork(Duration maxWait) throws InterruptedException {
        long remaining = maxWait.toNanos();
        lock.lock();
        try {
            startListenerLocked();
            while (permits == 0 && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            if (permits > 0) {
                permits--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts listening and waits until {@code LISTEN} is in effect (or {@code maxWait} passes), so that a job
     * enqueued after this returns is sure to be notified.
     *
     * @return true if listening
     */
    public boolean start(Duration maxWait) throws InterruptedException {
        long remaining = maxWait.toNanos();
        lock.lock();
        try {
            startListenerLocked();
            while (!listening && !closed && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            return listening;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            thread = listener;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void startListenerLocked() {
        if (listener == null && !closed) {
            listener = new Thread(this::listenLoop, "largo-job-wakeups");
            listener.setDaemon(true);
            listener.start();
        }
    }

    private void listenLoop() {
        long reconnectDelay = 100;
        boolean reconnecting = false;
        while (!isClosed()) {
            try (Connection connection = openDedicatedConnection()) {
                PGConnection pg = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + JobQueue.CHANNEL);
                }
                reconnectDelay = 100;
                setListening(true, reconnecting);
                receive(connection, pg);
            } catch (SQLException e) {
                if (isClosed()) {
                    break;
                }
                log.warn("lost the job notification connection ({}); reconnecting in {} ms", e.getMessage(), reconnectDelay);
            } finally {
                setListening(false, false);
                reconnecting = true;
            }
            if (!sleep(reconnectDelay)) {
                break;
            }
            reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
        }
    }

    private void receive(Connection connection, PGConnection pg) throws SQLException {
        long lastTraffic = System.currentTimeMillis();
        while (!isClosed()) {
            PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MS);
            long now = System.currentTimeMillis();
            if (notifications != null && notifications.length > 0) {
                addPermits(notifications.length);
                lastTraffic = now;
            } else if (now - lastTraffic > VALIDATE_AFTER_SILENCE_MS) {
                // A silently dropped connection never errors on read; a round trip finds out.
                if (!connection.isValid(5)) {
                    throw new SQLException("the notification connection is no longer valid");
                }
                lastTraffic = now;
            }
        }
    }

    /** A connection outside the pool when the pool's settings are known, else one borrowed for good. */
    private Connection openDedicatedConnection() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
            Properties props = new Properties();
            props.putAll(hikari.getDataSourceProperties());
            if (hikari.getUsername() != null) {
                props.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                props.setProperty("password", hikari.getPassword());
            }
            props.setProperty("ApplicationName", "largo-job-wakeups");
            props.setProperty("tcpKeepAlive", "true");
            if (hikari.getJdbcUrl() != null) {
                return DriverManager.getConnection(hikari.getJdbcUrl(), props);
            }
        }
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    private void addPermits(int count) {
        lock.lock();
        try {
            permits = Math.min(MAX_PERMITS, permits + count);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void setListening(boolean value, boolean afterReconnect) {
        lock.lock();
        try {
            if (value && afterReconnect) {
                // Notifications sent while not listening are lost: let waiters look at the queue once.
                permits = Math.max(permits, 1);
            }
            listening = value;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
