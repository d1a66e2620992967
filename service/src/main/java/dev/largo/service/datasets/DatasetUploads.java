package dev.largo.service.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.largo.api.model.Dataset;
import dev.largo.api.model.DatasetFormat;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.db.support.Tenants;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import dev.largo.service.tenancy.CurrentTenant;
import dev.largo.service.uploads.SpooledUpload;
import lombok.RequiredArgsConstructor;

/**
 * Turns a spooled upload into a stored dataset: inspect the file, then store its bytes and its row in one
 * transaction. A file that fails inspection, or any failure while storing, leaves no row and no artifact.
 */
@Service
@RequiredArgsConstructor
public class DatasetUploads {

    static final String RESOURCE = "dataset";

    private final DatasetInspection inspection;
    private final ArtifactStore artifacts;
    private final DatasetRepository datasets;
    private final DatasetCatalog catalog;
    private final IdempotentPosts posts;
    private final CurrentTenant tenant;

    public Created<Dataset> upload(SpooledUpload upload, DatasetUploadRequest request, String idempotencyKey) {
        String fingerprint = RequestFingerprint.of("POST /v1/datasets", request.name(), request.taskType(),
                request.format(), request.split(), request.domain(), upload.filename(), upload.sha256());
        Function<String, Dataset> load = id -> catalog.get(UUID.fromString(id));
        Optional<Created<Dataset>> replay = posts.replay(idempotencyKey, fingerprint, RESOURCE, load, Dataset.class);
        if (replay.isPresent()) {
            return replay.get();
        }
        InspectedDataset inspected = inspection.inspect(upload.file(), upload.filename(), request.format(),
                request.taskType());
        return posts.run(idempotencyKey, fingerprint, RESOURCE, HttpStatus.CREATED,
                () -> store(UUID.randomUUID(), tenant.id(), upload, request, inspected).toString(), load, Dataset.class);
    }

    /**
     * Registers a dataset that ships with the service under a fixed id, shared by every tenant, through the
     * same validation as an upload; a dataset already stored under that id is left as it is.
     *
     * @return whether the dataset was registered now
     */
    @Transactional
    public boolean registerBuiltIn(UUID id, SpooledUpload upload, DatasetUploadRequest request) {
        if (datasets.existsById(id)) {
            return false;
        }
        store(id, Tenants.SHARED, upload, request, inspection.inspect(upload.file(), upload.filename(), request.format(),
                request.taskType()));
        return true;
    }

    /** Stores the dataset for {@code owner}; what the shared owner holds every tenant reads. */
    private UUID store(UUID id, String owner, SpooledUpload upload, DatasetUploadRequest request,
            InspectedDataset inspected) {
        ArtifactRef artifact;
        try (InputStream in = upload.open()) {
            artifact = artifacts.put(ArtifactStore.KIND_DATASET, upload.filename(), contentType(inspected.format()), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DatasetEntity entity = new DatasetEntity(id);
        entity.setTenantId(owner);
        entity.setName(request.name());
        entity.setTaskType(DatasetTaskType.fromWire(inspected.taskType().getValue()));
        entity.setFormat(dev.largo.db.datasets.DatasetFormat.fromWire(inspected.format().getValue()));
        entity.setSplit(request.split());
        entity.setDomain(request.domain());
        entity.setArtifactId(artifact.id());
        entity.setSizeBytes(artifact.sizeBytes());
        entity.setSha256(artifact.sha256());
        entity.setExampleCount(Math.toIntExact(inspected.exampleCount()));
        entity.setClassNames(new ArrayList<>(inspected.classNames()));
        entity.setLabelCounts(new LinkedHashMap<>(inspected.labelCounts()));
        entity.setImageHeight(inspected.imageHeight());
        entity.setImageWidth(inspected.imageWidth());
        entity.setChannels(inspected.channels());
        datasets.save(entity);
        return entity.getId();
    }

    private static String contentType(DatasetFormat format) {
        return switch (format) {
            case IMAGEFOLDER_ZIP, IDX -> "application/zip";
            case JSONL -> "application/x-ndjson";
            case SAFETENSORS -> "application/octet-stream";
        };
    }
}
