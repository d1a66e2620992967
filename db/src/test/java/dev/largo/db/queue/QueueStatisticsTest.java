package dev.largo.db.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.largo.db.jobs.JobStatus;
import dev.largo.db.testsupport.DbIntegrationTest;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The monitoring reading of the queue, on rows with known times and step metrics. */
class QueueStatisticsTest extends DbIntegrationTest {

    @Autowired JdbcTemplate jdbc;
    @Autowired JobQueue queue;
    @Autowired QueueStatistics statistics;
    QueueFixture fixture;

    @BeforeEach
    void setUp() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        fixture = new QueueFixture(jdbc);
    }

    @Test
    void countsJobsByStatusAndSumsTheRunTimesOfFinishedOnes() {
        fixture.queuedJobs(3, 0);
        List<UUID> succeeded = fixture.jobs(2, "succeeded", 0, 3);
        List<UUID> failed = fixture.jobs(1, "failed", 0, 3);
        List<UUID> cancelledBeforeStart = fixture.jobs(1, "cancelled", 0, 3);
        ran(succeeded.get(0), 12.5);
        ran(succeeded.get(1), 30.25);
        ran(failed.get(0), 4);
        jdbc.update("update jobs set finished_at = now() where id = ?", cancelledBeforeStart.get(0));
        jdbc.update("update jobs set next_attempt_at = now() + interval '1 minute' where status = 'queued'"
                + " and id = (select id from jobs where status = 'queued' limit 1)");

        QueueStatistics.Snapshot snapshot = statistics.read();

        assertThat(snapshot.jobsByStatus()).containsEntry(JobStatus.QUEUED, 3L).containsEntry(JobStatus.SUCCEEDED, 2L)
                .containsEntry(JobStatus.FAILED, 1L).containsEntry(JobStatus.CANCELLED, 1L)
                .doesNotContainKey(JobStatus.RUNNING);
        assertThat(snapshot.claimable()).as("one queued job waits out a backoff").isEqualTo(2);
        assertThat(snapshot.finished().get(JobStatus.SUCCEEDED).count()).isEqualTo(2);
        assertThat(snapshot.finished().get(JobStatus.SUCCEEDED).totalSeconds()).isCloseTo(42.75, within(1e-9));
        assertThat(snapshot.finished().get(JobStatus.FAILED).totalSeconds()).isCloseTo(4, within(1e-9));
        assertThat(snapshot.finished().get(JobStatus.CANCELLED).count()).as("never started: no run time").isZero();
        assertThat(snapshot.running()).isEmpty();
    }

    @Test
    void reportsEachRunningJobsHeartbeatAgeAndTheMedianOfItsLatestStepTimes() {
        UUID job = fixture.queuedJobs(1, 0).get(0);
        assertThat(queue.claim("worker-a", Duration.ofMinutes(1))).isPresent();
        jdbc.update("update jobs set heartbeat_at = now() - interval '7 seconds' where id = ?", job);
        List<NewMetric> metrics = new ArrayList<>();
        // 30 steps: the first ten slow (1000 ms), then 100, 101, ... 119 ms; the latest 20 have median 109.5 ms.
        for (int step = 1; step <= 30; step++) {
            double millis = step <= 10 ? 1000 : 100 + (step - 11);
            metrics.add(new NewMetric(job, step, 1, QueueStatistics.STEP_TIME_METRIC, millis));
            metrics.add(new NewMetric(job, step, 1, "train/loss", 5.0));
        }
        new ProgressWriter(jdbc).appendMetrics(metrics);

        List<QueueStatistics.RunningJob> running = statistics.read().running();

        assertThat(running).hasSize(1);
        QueueStatistics.RunningJob reading = running.get(0);
        assertThat(reading.id()).isEqualTo(job);
        assertThat(reading.worker()).isEqualTo("worker-a");
        assertThat(reading.tenant()).isEqualTo("local");
        assertThat(reading.medianStepSeconds()).isCloseTo(0.1095, within(1e-12));
        assertThat(reading.heartbeatAgeSeconds()).isBetween(7.0, 8.0);

        queue.heartbeat(job, "worker-a");
        assertThat(statistics.read().running().get(0).heartbeatAgeSeconds()).as("a heartbeat resets it")
                .isBetween(0.0, 1.0);
    }

    @Test
    void aRunningJobWithoutStepsYetHasNoStepTime() {
        fixture.queuedJobs(1, 0);
        assertThat(queue.claim("worker-b", Duration.ofMinutes(1))).isPresent();

        QueueStatistics.RunningJob reading = statistics.read().running().get(0);

        assertThat(reading.medianStepSeconds()).isNull();
        assertThat(reading.heartbeatAgeSeconds()).as("the claim counts as a heartbeat").isBetween(0.0, 1.0);
    }

    private void ran(UUID job, double seconds) {
        jdbc.update("update jobs set started_at = now() - ? * interval '1 second', finished_at = now() where id = ?",
                seconds, job);
    }
}
