package dev.largo.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetFormat;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.db.idempotency.IdempotencyKeyId;
import dev.largo.db.idempotency.IdempotencyRecordRepository;
import dev.largo.db.jobs.CheckpointEntity;
import dev.largo.db.jobs.CheckpointRepository;
import dev.largo.db.jobs.EvaluatedModel;
import dev.largo.db.jobs.EvaluationEntity;
import dev.largo.db.jobs.EvaluationKind;
import dev.largo.db.jobs.EvaluationRepository;
import dev.largo.db.jobs.EventLevel;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobEventEntity;
import dev.largo.db.jobs.JobEventRepository;
import dev.largo.db.jobs.JobMetricEntity;
import dev.largo.db.jobs.JobMetricRepository;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.models.ModelArchitecture;
import dev.largo.db.support.Tenants;
import dev.largo.db.support.UnknownCursorException;
import dev.largo.db.testsupport.DbIntegrationTest;
import dev.largo.db.testsupport.PostgresTestDatabase;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;

/** Entities round-trip through the Flyway schema, including the JSON columns and keyset pagination. */
class PersistenceMappingTest extends DbIntegrationTest {

    @Autowired DatasetRepository datasets;
    @Autowired BaseModelRepository models;
    @Autowired JobRepository jobs;
    @Autowired JobEventRepository events;
    @Autowired JobMetricRepository metrics;
    @Autowired CheckpointRepository checkpoints;
    @Autowired EvaluationRepository evaluations;
    @Autowired AdapterRepository adapters;
    @Autowired IdempotencyRecordRepository idempotency;
    @Autowired ArtifactStore artifactStore;
    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void emptyDatabase() {
        PostgresTestDatabase.truncateAllTables(dataSource);
    }

    @Test
    void datasetJsonColumnsRoundTrip() {
        DatasetEntity saved = datasets.save(dataset("fashion-train", Instant.now()));

        DatasetEntity loaded = datasets.findById(saved.getId()).orElseThrow();
        assertThat(loaded.getTaskType()).isEqualTo(DatasetTaskType.IMAGE_CLASSIFICATION);
        assertThat(loaded.getFormat()).isEqualTo(DatasetFormat.SAFETENSORS);
        assertThat(loaded.getClassNames()).containsExactly("t-shirt", "trouser", "bag");
        assertThat(loaded.getLabelCounts()).containsExactlyInAnyOrderEntriesOf(Map.of("t-shirt", 10L, "trouser", 7L, "bag", 3L));
        assertThat(loaded.getImageHeight()).isEqualTo(28);
        assertThat(jdbc.queryForObject("select jsonb_typeof(class_names) || ',' || jsonb_typeof(label_counts)"
                + " || ',' || task_type || ',' || format from datasets", String.class))
                .isEqualTo("array,object,image_classification,safetensors");
    }

    @Test
    void jsonTextAttributesAreStoredAsJsonNotAsQuotedStrings() {
        BaseModelEntity model = models.save(baseModel("vit-tiny-test"));
        assertThat(models.findById(model.getId()).orElseThrow().getConfigJson())
                .contains("\"hidden_size\": 192");
        assertThat(jdbc.queryForObject("select config_json ->> 'model_type' from base_models", String.class)).isEqualTo("vit");

        JobEntity job = jobs.save(job(model, datasets.save(dataset("d", Instant.now())), Instant.now()));
        assertThat(jdbc.queryForObject("select spec -> 'hyperparameters' ->> 'n_epochs' from jobs", String.class)).isEqualTo("3");
        assertThat(jobs.findById(job.getId()).orElseThrow().getSpec()).contains("\"n_epochs\": 3");

        events.save(new JobEventEntity(job.getId(), EventLevel.INFO, "job.started", "started", "{\"worker\": \"w1\"}"));
        assertThat(jdbc.queryForObject("select data ->> 'worker' from job_events", String.class)).isEqualTo("w1");
    }

    @Test
    void jobLifecycleColumnsCannotBeOverwrittenThroughJpa() {
        JobEntity job = jobs.save(job(models.save(baseModel("m")), datasets.save(dataset("d", Instant.now())), Instant.now()));
        jdbc.update("update jobs set status = 'running', progress = 0.5 where id = ?", job.getId());

        JobEntity stale = jobs.findById(job.getId()).orElseThrow();
        stale.setStatus(JobStatus.QUEUED);
        stale.setSuffix("renamed");
        jobs.saveAndFlush(stale);

        assertThat(jdbc.queryForMap("select status, progress, suffix from jobs where id = ?", job.getId()))
                .containsEntry("status", "running").containsEntry("progress", 0.5).containsEntry("suffix", "renamed");
    }

    @Test
    void pagesNewestFirstWithCursor() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // two rows share a timestamp, so the id breaks the tie
            ids.add(datasets.save(dataset("d" + i, t0.plusSeconds(i == 4 ? 3 : i))).getId());
        }
        DatasetEntity other = dataset("other-tenant", t0);
        other.setTenantId("someone-else");
        datasets.save(other);

        List<UUID> seen = new ArrayList<>();
        UUID after = null;
        List<DatasetEntity> page;
        do {
            page = datasets.findPage("local", after, 2);
            page.forEach(d -> seen.add(d.getId()));
            after = page.isEmpty() ? null : page.get(page.size() - 1).getId();
        } while (page.size() == 2);

        assertThat(seen).hasSize(5).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        List<Instant> times = seen.stream().map(id -> datasets.findById(id).orElseThrow().getCreatedAt()).toList();
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));

        assertThatThrownBy(() -> datasets.findPage("local", other.getId(), 2))
                .isInstanceOf(UnknownCursorException.class).hasMessageContaining(other.getId().toString());
        assertThat(datasets.findByIdAndTenantId(other.getId(), "local")).isEmpty();
    }

    @Test
    void jobChildrenAndAdapters() {
        BaseModelEntity model = models.save(baseModel("m"));
        JobEntity job = jobs.save(job(model, datasets.save(dataset("d", Instant.now())), Instant.now()));
        for (int i = 0; i < 5; i++) {
            events.save(new JobEventEntity(job.getId(), EventLevel.INFO, "step", "step " + i, null));
            metrics.save(new JobMetricEntity(job.getId(), i, 0, i % 2 == 0 ? "train_loss" : "gamma/blocks.0.attn", 1.0 / (i + 1)));
        }
        List<JobEventEntity> first = events.findByJobIdAndIdGreaterThanOrderByIdAsc(job.getId(), 0, Limit.of(3));
        assertThat(first).extracting(JobEventEntity::getMessage).containsExactly("step 0", "step 1", "step 2");
        assertThat(first.get(0).getCreatedAt()).isNotNull(); // set by the database
        assertThat(events.findByJobIdAndIdGreaterThanOrderByIdAsc(job.getId(), first.get(2).getId(), Limit.of(3)))
                .extracting(JobEventEntity::getMessage).containsExactly("step 3", "step 4");
        assertThat(metrics.findByJobIdAndNameAndIdGreaterThanOrderByIdAsc(job.getId(), "train_loss", 0, Limit.of(10)))
                .extracting(JobMetricEntity::getStep).containsExactly(0L, 2L, 4L);
        assertThat(metrics.findByNamePrefixAfter(job.getId(), "gamma/", 0, Limit.of(10))).hasSize(2);

        ArtifactRef blob = artifactStore.put("checkpoint", "c.bin", "application/octet-stream",
                new ByteArrayInputStream("state".getBytes(StandardCharsets.UTF_8)));
        checkpoints.save(new CheckpointEntity(UUID.randomUUID(), job.getId(), 0, 10, blob.id()));
        checkpoints.save(new CheckpointEntity(UUID.randomUUID(), job.getId(), 1, 20, blob.id()));
        assertThat(checkpoints.findFirstByJobIdOrderByStepDesc(job.getId()).orElseThrow().getStep()).isEqualTo(20);

        evaluations.save(new EvaluationEntity(job.getId(), null, "ood-test", EvaluationKind.OOD, "sketch",
                EvaluatedModel.BASE_REFERENCE, 0.5, 1.2, 0.1, 100));
        evaluations.save(new EvaluationEntity(job.getId(), 0, "id-val", EvaluationKind.ID, null,
                EvaluatedModel.FINE_TUNED, 0.9, null, null, 50));
        assertThat(evaluations.findByJobIdAndEpochIsNullOrderByIdAsc(job.getId()))
                .singleElement().satisfies(e -> {
                    assertThat(e.getKind()).isEqualTo(EvaluationKind.OOD);
                    assertThat(e.getModel()).isEqualTo(EvaluatedModel.BASE_REFERENCE);
                });
        assertThat(jdbc.queryForObject("select kind || '/' || model from evaluations where epoch is null", String.class))
                .isEqualTo("ood/base_reference");

        AdapterEntity adapter = new AdapterEntity(UUID.randomUUID());
        adapter.setJobId(job.getId());
        adapter.setBaseModelId(model.getId());
        adapter.setPeftArtifactId(blob.id());
        adapter.setMethodType("largo");
        adapter.setRank(8);
        adapters.save(adapter);
        assertThat(adapters.findFirstByJobIdOrderByCreatedAtDesc(job.getId())).isPresent();
    }

    @Test
    void idempotencyKeyIsTakenOnce() {
        assertThat(idempotency.insertIfAbsent("local", "k1", "hash-a", "job", "job-1", 201)).isEqualTo(1);
        assertThat(idempotency.insertIfAbsent("local", "k1", "hash-b", "job", "job-2", 201)).isZero();
        assertThat(idempotency.insertIfAbsent("other", "k1", "hash-b", "job", "job-3", 201)).isEqualTo(1);
        assertThat(idempotency.findById(new IdempotencyKeyId("local", "k1")).orElseThrow().getResourceId()).isEqualTo("job-1");
        assertThat(idempotency.deleteOlderThan(3600)).isZero();
    }

    @Test
    void sharedRowsAreVisibleToEveryTenantButOwnedByNone() {
        BaseModelEntity builtIn = baseModel("vit-tiny-fashion");
        builtIn.setBuiltIn(true);
        builtIn.setTenantId(Tenants.SHARED);
        models.save(builtIn);
        BaseModelEntity own = baseModel(BaseModelEntity.newUploadedModelId());
        own.setTenantId("acme");
        models.save(own);

        assertThat(models.findVisibleTo("vit-tiny-fashion", "acme")).isPresent();
        assertThat(models.findVisibleTo(own.getId(), "acme")).isPresent();
        assertThat(models.findVisibleTo(own.getId(), "local")).isEmpty();
        assertThat(models.findByBuiltInTrueOrderById()).extracting(BaseModelEntity::getId).containsExactly("vit-tiny-fashion");
        assertThat(models.findByIdAndTenantId("vit-tiny-fashion", "acme")).as("read-only: no tenant owns it").isEmpty();
        assertThat(models.findPage("acme", null, 10)).extracting(BaseModelEntity::getId)
                .containsExactlyInAnyOrder("vit-tiny-fashion", own.getId());
        assertThat(models.findPage("local", null, 10)).extracting(BaseModelEntity::getId)
                .containsExactly("vit-tiny-fashion");

        DatasetEntity sample = dataset("fashion-train", Instant.now());
        sample.setTenantId(Tenants.SHARED);
        datasets.save(sample);
        assertThat(datasets.findVisibleTo(sample.getId(), "acme")).isPresent();
        assertThat(datasets.findByIdAndTenantId(sample.getId(), "acme")).isEmpty();
        assertThat(datasets.findPage("acme", null, 10)).extracting(DatasetEntity::getId).containsExactly(sample.getId());
    }

    DatasetEntity dataset(String name, Instant createdAt) {
        DatasetEntity d = new DatasetEntity(UUID.randomUUID());
        d.setName(name);
        d.setTaskType(DatasetTaskType.IMAGE_CLASSIFICATION);
        d.setFormat(DatasetFormat.SAFETENSORS);
        d.setArtifactId(artifactStore.put("dataset", name + ".safetensors", "application/octet-stream",
                new ByteArrayInputStream(new byte[] {1, 2, 3})).id());
        d.setSizeBytes(1234);
        d.setSha256("ab".repeat(32));
        d.setExampleCount(20);
        d.setClassNames(List.of("t-shirt", "trouser", "bag"));
        d.setLabelCounts(Map.of("t-shirt", 10L, "trouser", 7L, "bag", 3L));
        d.setImageHeight(28);
        d.setImageWidth(28);
        d.setChannels(1);
        d.setCreatedAt(createdAt.truncatedTo(ChronoUnit.MICROS));
        return d;
    }

    static BaseModelEntity baseModel(String id) {
        BaseModelEntity m = new BaseModelEntity(id);
        m.setName(id);
        m.setArchitecture(ModelArchitecture.VIT);
        m.setConfigJson("{\"model_type\": \"vit\", \"hidden_size\": 192}");
        m.setParameterCount(5_000_000);
        m.setNumLabels(10);
        m.setImageSize(28);
        return m;
    }

    static JobEntity job(BaseModelEntity model, DatasetEntity dataset, Instant createdAt) {
        JobEntity job = new JobEntity(UUID.randomUUID());
        job.setBaseModelId(model.getId());
        job.setTrainingDatasetId(dataset.getId());
        job.setSpec("{\"method\": {\"type\": \"largo\"}, \"hyperparameters\": {\"n_epochs\": 3}}");
        job.setMethodType("largo");
        job.setSeed(7);
        job.setCreatedAt(createdAt.truncatedTo(ChronoUnit.MICROS));
        return job;
    }
}
