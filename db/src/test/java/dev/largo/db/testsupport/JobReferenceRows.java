package dev.largo.db.testsupport;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rows a job row refers to, inserted straight through SQL for tests that need many jobs fast: a dataset (with
 * its artifact) and a base model.
 */
public record JobReferenceRows(UUID datasetId, String modelId) {

    public static JobReferenceRows insert(JdbcTemplate jdbc) {
        UUID artifactId = UUID.randomUUID();
        UUID datasetId = UUID.randomUUID();
        String modelId = "model-" + UUID.randomUUID();
        jdbc.update("insert into artifacts (id, kind, filename, content_type, size_bytes, sha256)"
                + " values (?, 'dataset', 'd.bin', 'application/octet-stream', 0, 'x')", artifactId);
        jdbc.update("insert into datasets (id, name, task_type, format, artifact_id, size_bytes, sha256, example_count)"
                + " values (?, 'd', 'image_classification', 'safetensors', ?, 0, 'x', 0)", datasetId, artifactId);
        jdbc.update("insert into base_models (id, name, architecture, config_json, parameter_count, num_labels)"
                + " values (?, 'm', 'vit', '{}', 1, 10)", modelId);
        return new JobReferenceRows(datasetId, modelId);
    }
}
