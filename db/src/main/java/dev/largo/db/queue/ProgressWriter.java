package dev.largo.db.queue;

import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import lombok.RequiredArgsConstructor;

/**
 * Appends job events and metrics in JDBC batches: a training step produces many metric values (one per
 * LARGO gamma tensor), and one round trip per value would cost more than the step.
 */
@Component
@RequiredArgsConstructor
public class ProgressWriter {

    private final JdbcTemplate jdbc;

    public void appendEvents(List<NewEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into job_events (job_id, level, type, message, data) values (?, ?, ?, ?, ?::jsonb)",
                events, events.size(), (ps, e) -> {
                    ps.setObject(1, e.jobId());
                    ps.setString(2, e.level().wireValue());
                    ps.setString(3, e.type());
                    ps.setString(4, e.message());
                    ps.setString(5, e.dataJson());
                });
    }

    public void appendMetrics(List<NewMetric> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into job_metrics (job_id, step, epoch, name, value) values (?, ?, ?, ?, ?)",
                metrics, metrics.size(), (ps, m) -> {
                    ps.setObject(1, m.jobId());
                    ps.setLong(2, m.step());
                    if (m.epoch() == null) {
                        ps.setNull(3, Types.INTEGER);
                    } else {
                        ps.setInt(3, m.epoch());
                    }
                    ps.setString(4, m.name());
                    ps.setDouble(5, m.value());
                });
    }
}
