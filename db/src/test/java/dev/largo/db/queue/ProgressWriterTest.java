package dev.largo.db.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.db.jobs.EventLevel;
import dev.largo.db.jobs.JobEventEntity;
import dev.largo.db.jobs.JobEventRepository;
import dev.largo.db.jobs.JobMetricEntity;
import dev.largo.db.jobs.JobMetricRepository;
import dev.largo.db.testsupport.DbIntegrationTest;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;

class ProgressWriterTest extends DbIntegrationTest {

    @Autowired JdbcTemplate jdbc;
    @Autowired ProgressWriter writer;
    @Autowired JobEventRepository events;
    @Autowired JobMetricRepository metrics;

    @Test
    void appendsEventsAndMetricsInBatches() {
        PostgresTestDatabase.truncateAllTables(dataSource);
        UUID job = new QueueFixture(jdbc).queuedJobs(1, 0).get(0);

        writer.appendEvents(List.of(
                NewEvent.info(job, "job.started", "started on worker w1"),
                new NewEvent(job, EventLevel.WARN, "train.nan", "loss was NaN at step 7", "{\"step\": 7}")));
        List<NewMetric> values = new ArrayList<>();
        for (int step = 0; step < 100; step++) {
            values.add(new NewMetric(job, step, step / 50, "train_loss", 1.0 / (step + 1)));
            for (int layer = 0; layer < 9; layer++) {
                values.add(new NewMetric(job, step, null, "gamma/blocks." + layer + ".attn.qkv", layer * 0.1));
            }
        }
        writer.appendMetrics(values);
        writer.appendMetrics(List.of());

        List<JobEventEntity> log = events.findByJobIdAndIdGreaterThanOrderByIdAsc(job, 0, Limit.of(10));
        assertThat(log).extracting(JobEventEntity::getType).containsExactly("job.started", "train.nan");
        assertThat(log.get(1).getLevel()).isEqualTo(EventLevel.WARN);
        assertThat(jdbc.queryForObject("select data ->> 'step' from job_events where type = 'train.nan'", String.class))
                .isEqualTo("7");

        assertThat(jdbc.queryForObject("select count(*) from job_metrics where job_id = ?", Long.class, job)).isEqualTo(1000);
        List<JobMetricEntity> loss = metrics.findByJobIdAndNameAndIdGreaterThanOrderByIdAsc(job, "train_loss", 0, Limit.of(1000));
        assertThat(loss).hasSize(100);
        assertThat(loss.get(99).getStep()).isEqualTo(99);
        assertThat(loss.get(99).getEpoch()).isEqualTo(1);
        assertThat(loss.get(3).getValue()).isEqualTo(0.25);
    }
}
