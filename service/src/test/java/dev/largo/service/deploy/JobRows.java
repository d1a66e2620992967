package dev.largo.service.deploy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import dev.largo.db.testsupport.JobReferenceRows;
import org.springframework.jdbc.core.JdbcTemplate;

/** Jobs in a given queue state, inserted through SQL with the model and dataset rows they refer to. */
final class JobRows {

    private final JdbcTemplate jdbc;
    private final UUID datasetId;
    private final String modelId;

    JobRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        JobReferenceRows references = JobReferenceRows.insert(jdbc);
        this.datasetId = references.datasetId();
        this.modelId = references.modelId();
    }

    /**
     * Inserts jobs; running ones hold a live lease of another worker.
     *
     * @param nextAttemptAt SQL: {@code null}, or an expression around {@code now()}
     */
    List<UUID> jobs(int count, String status, String nextAttemptAt, boolean cancelRequested) {
        List<UUID> ids = new ArrayList<>();
        boolean running = "running".equals(status);
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            jdbc.update("insert into jobs (id, status, base_model_id, training_dataset_id, spec, method_type, seed,"
                    + " next_attempt_at, cancel_requested, lease_owner, lease_expires_at) values"
                    + " (?, ?, ?, ?, '{}'::jsonb, 'largo', 0, " + nextAttemptAt + ", ?, ?, ?)",
                    id, status, modelId, datasetId, cancelRequested, running ? "another-worker" : null,
                    running ? Timestamp.from(Instant.now().plusSeconds(60)) : null);
            ids.add(id);
        }
        return ids;
    }
}
