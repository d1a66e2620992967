package dev.largo.service.datasets;

import dev.largo.service.errors.ApiProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.largo.api.model.Dataset;
import dev.largo.api.model.TextExampleList;
import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.DatasetList;
import dev.largo.api.model.DeletedObject;
import dev.largo.api.model.TaskType;
import dev.largo.api.server.DatasetsApi;
import dev.largo.service.uploads.SpooledUpload;
import dev.largo.service.uploads.UploadProperties;
import lombok.RequiredArgsConstructor;

/**
 * {@code /v1/datasets}. The contract's upload takes two request forms on one operation; the generated
 * interface method binds the multipart form, so its mapping is narrowed to multipart here and the raw
 * {@code application/octet-stream} body has a handler of its own. Both stream the file to a spool file
 * (never into memory) and go through the same {@link DatasetUploads}.
 */
@RestController
@RequiredArgsConstructor
public class DatasetsController implements DatasetsApi {

    private final DatasetUploads uploads;
    private final DatasetCatalog catalog;
    private final UploadProperties uploadLimits;
    private final DatasetExamples examples;

    /** The multipart form; the generator binds metadata both as query parameters and as form fields (same values). */
    @Override
    @PostMapping(path = PATH_CREATE_DATASET, consumes = MediaType.MULTIPART_FORM_DATA_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public ResponseEntity<Dataset> createDataset(MultipartFile file, String idempotencyKey, String name,
            TaskType taskType, DatasetFormat format, String split, String domain, String filename, String name2,
            TaskType taskType2, DatasetFormat format2, String split2, String domain2) {
        DatasetUploadRequest request = new DatasetUploadRequest(first(name, name2), first(taskType, taskType2),
                first(format, format2), first(split, split2), first(domain, domain2), filename);
        try (InputStream in = file.getInputStream();
                SpooledUpload upload = SpooledUpload.spool(in, request.storedFilename(file.getOriginalFilename()),
                        file.getContentType(), uploadLimits)) {
            return uploads.upload(upload, request, idempotencyKey).toResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw form: the request body is the file, the metadata are query parameters. */
    @PostMapping(path = PATH_CREATE_DATASET, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    public ResponseEntity<Dataset> createDatasetFromBody(HttpServletRequest servletRequest,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestParam(value = "name", required = false) String name,
            @RequestParam(value = "task_type", required = false) TaskType taskType,
            @RequestParam(value = "format", required = false) DatasetFormat format,
            @RequestParam(value = "split", required = false) String split,
            @RequestParam(value = "domain", required = false) String domain,
            @RequestParam(value = "filename", required = false) String filename) {
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 255)) {
            throw ApiProblem.badParam("Idempotency-Key", "must be 1-255 characters");
        }
        DatasetUploadRequest request = new DatasetUploadRequest(name, taskType, format, split, domain, filename);
        try (InputStream in = servletRequest.getInputStream();
                SpooledUpload upload = SpooledUpload.spool(in, request.storedFilename(null),
                        MediaType.APPLICATION_OCTET_STREAM_VALUE, uploadLimits)) {
            return uploads.upload(upload, request, idempotencyKey).toResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ResponseEntity<DatasetList> listDatasets(String after, Integer limit) {
        return ResponseEntity.ok(catalog.list(after, limit));
    }

    @Override
    public ResponseEntity<Dataset> getDataset(UUID datasetId) {
        return ResponseEntity.ok(catalog.get(datasetId));
    }

    @Override
    public ResponseEntity<DeletedObject> deleteDataset(UUID datasetId) {
        return ResponseEntity.ok(catalog.delete(datasetId));
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }

    @Override
    public ResponseEntity<TextExampleList> listDatasetExamples(UUID datasetId, Integer limit) {
        return ResponseEntity.ok(examples.first(datasetId, limit));
    }
}
