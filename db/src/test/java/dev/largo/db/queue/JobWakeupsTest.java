package dev.largo.db.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.testsupport.DbIntegrationTest;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** LISTEN/NOTIFY wake-ups of idle workers. */
class JobWakeupsTest extends DbIntegrationTest {

    @Autowired JdbcTemplate jdbc;
    @Autowired JobQueue queue;

    JobWakeups wakeups;
    QueueFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        PostgresTestDatabase.truncateAllTables(dataSource);
        fixture = new QueueFixture(jdbc);
        wakeups = new JobWakeups(dataSource);
        assertThat(wakeups.start(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void tearDown() {
        wakeups.close();
    }

    @Test
    void notifyWakesAnIdleWaiterLongBeforeItsMaxWait() throws Exception {
        UUID job = fixture.jobs(1, "validating", 0, 3).get(0);
        CompletableFuture<Void> enqueuer = CompletableFuture.runAsync(() -> {
            sleep(300);
            queue.enqueue(job);
        });
        long start = System.nanoTime();
        boolean woken = wakeups.awaitWork(Duration.ofSeconds(20));
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        enqueuer.get(5, TimeUnit.SECONDS);

        assertThat(woken).isTrue();
        assertThat(elapsedMs).as("woke on the notification, not the timeout").isBetween(250L, 3_000L);
        assertThat(queue.claim("w").orElseThrow().id()).isEqualTo(job);
    }

    @Test
    void returnsFalseAfterMaxWaitWithoutNotification() throws Exception {
        long start = System.nanoTime();
        assertThat(wakeups.awaitWork(Duration.ofMillis(300))).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290L);
    }

    @Test
    void keepsANotificationThatArrivesWhileNobodyWaits() throws Exception {
        queue.enqueue(fixture.jobs(1, "validating", 0, 3).get(0));
        Thread.sleep(300); // the worker is busy claiming and finding nothing, say
        long start = System.nanoTime();
        assertThat(wakeups.awaitWork(Duration.ofSeconds(20))).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000L);
        assertThat(wakeups.awaitWork(Duration.ofMillis(100))).as("one notification, one wake-up").isFalse();
    }

    @Test
    void listensOnItsOwnConnectionAndReconnectsWhenItDrops() throws Exception {
        assertThat(listenerBackends()).isEqualTo(1);
        jdbc.queryForList("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'largo-job-wakeups'");

        // After reconnecting, waiters are woken once because notifications may have been missed.
        assertThat(wakeups.awaitWork(Duration.ofSeconds(10))).isTrue();
        assertThat(listenerBackends()).isEqualTo(1);

        UUID job = fixture.jobs(1, "validating", 0, 3).get(0);
        CompletableFuture.runAsync(() -> {
            sleep(200);
            queue.enqueue(job);
        });
        long start = System.nanoTime();
        assertThat(wakeups.awaitWork(Duration.ofSeconds(20))).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000L);
    }

    private long listenerBackends() {
        return jdbc.queryForObject("select count(*) from pg_stat_activity where application_name = 'largo-job-wakeups'",
                Long.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
