package dev.largo.service.frontier;

import dev.largo.api.model.AdapterFormat;
import dev.largo.db.adapters.AdapterEntity;
import dev.largo.db.adapters.AdapterRepository;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.jobs.JobEntity;
import dev.largo.db.jobs.JobStatus;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.jobs.JobReads;
import dev.largo.service.tenancy.CurrentTenant;
import dev.largo.worker.engine.frontier.InterpolatedExports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * The fine-tuned model at a chosen alpha of its frontier, written from the job's stored exports
 * ({@link InterpolatedExports}) into a temporary file that is deleted once streamed: the PEFT adapter with
 * {@code lora_alpha} rescaled, or the merged model folder with every weight interpolated.
 */
@Service
public class FrontierDownloads {

    private final JobReads jobs;
    private final AdapterRepository adapters;
    private final BaseModelRepository models;
    private final ArtifactStore artifacts;
    private final CurrentTenant tenant;

    public FrontierDownloads(JobReads jobs, AdapterRepository adapters, BaseModelRepository models,
            ArtifactStore artifacts, CurrentTenant tenant) {
        this.jobs = jobs;
        this.adapters = adapters;
        this.models = models;
        this.artifacts = artifacts;
        this.tenant = tenant;
    }

    public ResponseEntity<Resource> download(UUID jobId, Double alpha, AdapterFormat format) {
        if (alpha == null || !(alpha >= 0 && alpha <= 1)) {
            throw ApiProblem.badParam("alpha", "must be a number in [0, 1], got " + alpha);
        }
        JobEntity job = jobs.find(jobId);
        if (job.getStatus() != JobStatus.SUCCEEDED || job.getFineTunedAdapterId() == null) {
            throw ApiProblem.conflict("job-not-succeeded", "job " + jobId + " is " + job.getStatus().wireValue()
                    + "; only a succeeded job's model can be downloaded at an alpha");
        }
        AdapterEntity adapter = adapters.findByIdAndTenantId(job.getFineTunedAdapterId(), tenant.id())
                .orElseThrow(() -> ApiProblem.notFound("adapter", job.getFineTunedAdapterId()));
        if (adapter.getInitialHeadArtifactId() == null) {
            throw ApiProblem.conflict("no-interpolation-start", "job " + jobId + " kept no starting point for the"
                    + " interpolation (it finished before the frontier existed, or it is continual)");
        }
        AdapterFormat chosen = format == null ? AdapterFormat.PEFT : format;
        Path head = null;
        Path base = null;
        Path out = null;
        try {
            head = copy(adapter.getInitialHeadArtifactId(), "initial-head");
            out = Files.createTempFile("frontier-download", ".zip");
            try (OutputStream sink = Files.newOutputStream(out)) {
                if (chosen == AdapterFormat.PEFT) {
                    try (InputStream zip = artifacts.open(adapter.getPeftArtifactId())) {
                        InterpolatedExports.adapterAt(zip, head, alpha, sink);
                    } catch (IllegalArgumentException e) {
                        throw ApiProblem.badParam("format", e.getMessage());
                    }
                } else {
                    BaseModelEntity model = models.findVisibleTo(job.getBaseModelId(), tenant.id())
                            .orElseThrow(() -> ApiProblem.conflict("base-model-gone", "the base model "
                                    + job.getBaseModelId() + " of job " + jobId + " no longer exists"));
                    base = copy(model.getWeightsArtifactId(), "base");
                    try (InputStream zip = artifacts.open(adapter.getMergedArtifactId())) {
                        InterpolatedExports.mergedAt(base, head, zip, alpha, sink);
                    }
                }
            }
            long size = Files.size(out);
            Path written = out;
            out = null;
            InputStream content = Files.newInputStream(written, StandardOpenOption.DELETE_ON_CLOSE);
            String name = String.format(Locale.ROOT, "%s-%s-alpha-%s.zip", chosen == AdapterFormat.PEFT ? "adapter"
                    : "model", jobId, alpha);
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/zip"))
                    .contentLength(size)
                    .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name).build()
                            .toString())
                    .body(new InputStreamResource(content));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the download at alpha " + alpha, e);
        } finally {
            deleteQuietly(head);
            deleteQuietly(base);
            deleteQuietly(out);
        }
    }

    private Path copy(UUID artifactId, String prefix) throws IOException {
        Path file = Files.createTempFile(prefix, ".safetensors");
        try (InputStream in = artifacts.open(artifactId)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file; the OS cleans its temp directory
            }
        }
    }
}
