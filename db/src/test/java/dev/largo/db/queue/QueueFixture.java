package dev.largo.db.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import dev.largo.db.testsupport.JobReferenceRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** Inserts the rows jobs refer to, and jobs themselves, straight through SQL (fast for hundreds of jobs). */
final class QueueFixture {

    private final JdbcTemplate jdbc;
    private final UUID datasetId;
    private final String modelId;

    QueueFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        JobReferenceRows references = JobReferenceRows.insert(jdbc);
        this.datasetId = references.datasetId();
        this.modelId = references.modelId();
    }

    /** Inserts {@code count} queued jobs, created one millisecond apart in insertion order. */
    List<UUID> queuedJobs(int count, int priority) {
        return jobs(count, "queued", priority, 3);
    }

    List<UUID> jobs(int count, String status, int priority, int maxAttempts) {
        List<UUID> ids = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            rows.add(new Object[] {id, status, modelId, datasetId, "{\"n\": " + i + "}", (long) i, priority, maxAttempts, (double) i});
        }
        jdbc.batchUpdate("insert into jobs (id, status, base_model_id, training_dataset_id, spec, method_type, seed,"
                + " priority, max_attempts, created_at) values (?, ?, ?, ?, ?::jsonb, 'largo', ?, ?, ?,"
                + " now() - interval '1 hour' + ? * interval '1 millisecond')", rows);
        return ids;
    }

    String status(UUID jobId) {
        return jdbc.queryForObject("select status from jobs where id = ?", String.class, jobId);
    }

    int attempts(UUID jobId) {
        return jdbc.queryForObject("select attempts from jobs where id = ?", Integer.class, jobId);
    }

    /** Makes a backed-off job ready now instead of waiting for its retry time. */
    void makeReady(UUID jobId) {
        jdbc.update("update jobs set next_attempt_at = now() - interval '1 millisecond' where id = ?", jobId);
    }

    /** Lets a lease run out at once, as if its worker had died a while ago. */
    void expireLease(UUID jobId) {
        jdbc.update("update jobs set lease_expires_at = now() - interval '1 second' where id = ?", jobId);
    }
}
