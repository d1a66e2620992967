package dev.largo.worker.runtime;

import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetFormat;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobRepository;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.models.ModelArchitecture;
import dev.largo.db.queue.JobQueue;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.model.bert.BertModels;
import dev.largo.worker.engine.model.bert.TinyTextModel;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts base models, datasets and jobs into the database the way the service does (artifacts through the
 * store, rows through the repositories, the job saved, flushed and enqueued in one transaction), so the
 * worker under test sees exactly what it sees in production.
 */
final class TrainingFixtures {

    private final ArtifactStore artifacts;
    private final BaseModelRepository models;
    private final DatasetRepository datasets;
    private final JobRepository jobs;
    private final JobQueue queue;
    private final TransactionTemplate transaction;
    private final Path directory;

    TrainingFixtures(ArtifactStore artifacts, BaseModelRepository models, DatasetRepository datasets, JobRepository jobs,
            JobQueue queue, PlatformTransactionManager transactionManager, Path directory) {
        this.artifacts = artifacts;
        this.models = models;
        this.datasets = datasets;
        this.jobs = jobs;
        this.queue = queue;
        this.transaction = new TransactionTemplate(transactionManager);
        this.directory = directory;
    }

    /** The tiny ViT with random weights (seeded), stored as an uploaded base model; returns its id. */
    String tinyVit(long seed) throws IOException {
        Path weights = directory.resolve("weights-" + seed + ".safetensors");
        TinyJobs.writeTinyVitWeights(seed, weights);
        return model("tiny-vit-" + seed, weights);
    }

    /** Stores a base model of the tiny ViT's config with these weights; returns its id. */
    String model(String name, Path weights) throws IOException {
        ModelConfig config = TinyJobs.tinyVit();
        ArtifactRef artifact = put(ArtifactStore.KIND_MODEL_WEIGHTS, "model.safetensors", weights);
        BaseModelEntity model = new BaseModelEntity(BaseModelEntity.newUploadedModelId());
        model.setName(name);
        model.setArchitecture(ModelArchitecture.VIT);
        model.setConfigJson(TinyJobs.TINY_VIT_CONFIG);
        model.setWeightsArtifactId(artifact.id());
        model.setParameterCount(config.parameterCount());
        model.setNumLabels(config.numLabels());
        model.setImageSize(config.imageSize());
        models.save(model);
        return model.getId();
    }

    /**
     * A small random BERT with the real all-MiniLM-L6-v2 tokenizer ({@link TinyTextModel}), stored as an uploaded
     * text model is: weights and {@code tokenizer.json} as artifacts; returns its id.
     */
    String tinyBert(long seed) throws IOException {
        Path folder = TinyTextModel.folder(directory.resolve("bert-" + seed), seed);
        String configJson = Files.readString(folder.resolve(BertModels.CONFIG));
        ModelConfig config = ModelConfig.parse(configJson);
        BaseModelEntity model = new BaseModelEntity(BaseModelEntity.newUploadedModelId());
        model.setName("tiny-bert-" + seed);
        model.setArchitecture(ModelArchitecture.BERT);
        model.setConfigJson(configJson);
        model.setWeightsArtifactId(put(ArtifactStore.KIND_MODEL_WEIGHTS, BertModels.WEIGHTS,
                folder.resolve(BertModels.WEIGHTS)).id());
        model.setTokenizerArtifactId(put(ArtifactStore.KIND_TOKENIZER, BertModels.TOKENIZER,
                folder.resolve(BertModels.TOKENIZER)).id());
        model.setParameterCount(config.parameterCount());
        model.setNumLabels(config.numLabels());
        models.save(model);
        return model.getId();
    }

    /** Stores {@code data} as a JSONL text dataset ({"text", "label"} with the label names); returns its id. */
    UUID textDataset(String name, TextDataset data, String domain) throws IOException {
        Path file = directory.resolve(name + "-" + UUID.randomUUID() + ".jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < data.count(); i++) {
            lines.append(Json.MAPPER.writeValueAsString(Map.of("text", data.texts().get(i),
                    "label", data.classNames().get(data.labels()[i])))).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8);
        ArtifactRef artifact = put(ArtifactStore.KIND_DATASET, name + ".jsonl", file);
        DatasetEntity dataset = new DatasetEntity(UUID.randomUUID());
        dataset.setName(name);
        dataset.setTaskType(DatasetTaskType.TEXT_CLASSIFICATION);
        dataset.setFormat(DatasetFormat.JSONL);
        dataset.setDomain(domain);
        describe(dataset, artifact, data);
        datasets.save(dataset);
        return dataset.getId();
    }

    /** Stores {@code data} as a safetensors dataset; returns its id. */
    UUID dataset(String name, ImageDataset data, String domain) throws IOException {
        Path file = directory.resolve(name + "-" + UUID.randomUUID() + ".safetensors");
        DatasetWriter.writeSafetensors(data, file);
        ArtifactRef artifact = put(ArtifactStore.KIND_DATASET, name + ".safetensors", file);
        DatasetEntity dataset = new DatasetEntity(UUID.randomUUID());
        dataset.setName(name);
        dataset.setTaskType(DatasetTaskType.IMAGE_CLASSIFICATION);
        dataset.setFormat(DatasetFormat.SAFETENSORS);
        dataset.setDomain(domain);
        describe(dataset, artifact, data);
        dataset.setImageHeight(data.height());
        dataset.setImageWidth(data.width());
        dataset.setChannels(data.channels());
        datasets.save(dataset);
        return dataset.getId();
    }

    /** Inserts the job and queues it, as the service's job creation does. */
    UUID submit(String modelId, UUID trainingDataset, String specJson, String methodType, long seed) {
        return transaction.execute(status -> {
            JobEntity job = new JobEntity(UUID.randomUUID());
            job.setBaseModelId(modelId);
            job.setTrainingDatasetId(trainingDataset);
            job.setSpec(specJson);
            job.setMethodType(methodType);
            job.setSeed(seed);
            jobs.saveAndFlush(job);
            if (!queue.enqueue(job.getId())) {
                throw new IllegalStateException("could not enqueue " + job.getId());
            }
            return job.getId();
        });
    }

    /** The stored file and what the service's inspection records of any dataset: count, classes, label counts. */
    private static void describe(DatasetEntity dataset, ArtifactRef artifact, LabelledData data) {
        dataset.setArtifactId(artifact.id());
        dataset.setSizeBytes(artifact.sizeBytes());
        dataset.setSha256(artifact.sha256());
        dataset.setExampleCount(data.count());
        dataset.setClassNames(new ArrayList<>(data.classNames()));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int label : data.labels()) {
            counts.merge(data.classNames().get(label), 1L, Long::sum);
        }
        dataset.setLabelCounts(counts);
    }

    private ArtifactRef put(String kind, String filename, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return artifacts.put(kind, filename, "application/octet-stream", in);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
