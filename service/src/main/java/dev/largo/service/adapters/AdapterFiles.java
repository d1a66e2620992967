package dev.largo.service.adapters;

import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.largo.api.model.Adapter;
import dev.largo.api.model.AdapterFile;
import dev.largo.api.model.AdapterFormat;
import dev.largo.api.model.MethodType;
import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobRepository;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Adapters and their files. A download streams the stored artifact chunk by chunk to the client (the store
 * reads one chunk per query, outside any transaction), so neither memory nor a database connection is held
 * for the length of a slow download.
 */
@Service
@RequiredArgsConstructor
public class AdapterFiles {

    private final AdapterRepository adapters;
    private final JobRepository jobs;
    private final ArtifactStore artifacts;
    private final CurrentTenant tenant;

    @Transactional(readOnly = true)
    public Adapter get(UUID id) {
        AdapterEntity adapter = find(id);
        List<AdapterFile> files = new ArrayList<>();
        files.add(file(AdapterFormat.PEFT, artifact(adapter.getPeftArtifactId())));
        if (adapter.getMergedArtifactId() != null) {
            files.add(file(AdapterFormat.MERGED, artifact(adapter.getMergedArtifactId())));
        }
        return new Adapter()
                .id(adapter.getId())
                ._object(Adapter.ObjectEnum.ADAPTER)
                .name(name(adapter))
                .fineTuningJobId(adapter.getJobId())
                .baseModel(adapter.getBaseModelId())
                .method(MethodType.fromValue(adapter.getMethodType()))
                .rank(adapter.getRank())
                .files(files)
                .createdAt(adapter.getCreatedAt().atOffset(ZoneOffset.UTC));
    }

    public ResponseEntity<Resource> download(UUID id, AdapterFormat format) {
        AdapterEntity adapter = find(id);
        UUID artifactId = format == AdapterFormat.MERGED ? adapter.getMergedArtifactId() : adapter.getPeftArtifactId();
        if (artifactId == null) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "adapter " + id + " has no merged model", List.of());
        }
        ArtifactRef ref = artifact(artifactId);
        InputStream content = artifacts.open(artifactId);
        // merged models are stored as a zipped model folder; those of older runs as a bare model.safetensors
        boolean zip = ref.filename().endsWith(".zip");
        MediaType type = zip ? MediaType.parseMediaType("application/zip") : MediaType.APPLICATION_OCTET_STREAM;
        return ResponseEntity.ok()
                .contentType(type)
                .contentLength(ref.sizeBytes())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(downloadName(adapter, format, zip)).build().toString())
                .body(new InputStreamResource(content));
    }

    private AdapterEntity find(UUID id) {
        return adapters.findByIdAndTenantId(id, tenant.id()).orElseThrow(() -> ApiProblem.notFound("adapter", id));
    }

    private ArtifactRef artifact(UUID id) {
        return artifacts.find(id).orElseThrow(() -> new IllegalStateException("artifact " + id + " of an adapter is missing"));
    }

    private String name(AdapterEntity adapter) {
        String suffix = jobs.findById(adapter.getJobId()).map(JobEntity::getSuffix).orElse(null);
        return adapter.getBaseModelId() + ":" + adapter.getMethodType() + (suffix == null ? "" : ":" + suffix)
                + ":" + adapter.getId().toString().substring(0, 8);
    }

    private static String downloadName(AdapterEntity adapter, AdapterFormat format, boolean zip) {
        return format == AdapterFormat.MERGED ? "model-" + adapter.getId() + (zip ? ".zip" : ".safetensors")
                : "adapter-" + adapter.getId() + ".zip";
    }

    private static AdapterFile file(AdapterFormat format, ArtifactRef ref) {
        return new AdapterFile(format, ref.filename(), ref.sizeBytes(), ref.sha256());
    }
}
