package dev.largo.service.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.largo.api.model.Model;
import dev.largo.api.model.ModelList;
import dev.largo.api.server.ModelsApi;
import dev.largo.service.uploads.SpooledUpload;
import dev.largo.service.uploads.UploadProperties;
import lombok.RequiredArgsConstructor;

/** {@code /v1/models}: built-in and uploaded base models. */
@RestController
@RequiredArgsConstructor
public class ModelsController implements ModelsApi {

    private final ModelUploads uploads;
    private final ModelCatalog catalog;
    private final UploadProperties uploadLimits;
    private final ModelDownloads downloads;

    @Override
    public ResponseEntity<Model> createModel(MultipartFile config, MultipartFile weights, String idempotencyKey,
            String name, String hubId) {
        String configJson;
        try (InputStream in = config.getInputStream()) {
            configJson = ModelUploads.readConfig(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream in = weights.getInputStream();
                SpooledUpload spooled = SpooledUpload.spool(in, "model.safetensors", weights.getContentType(),
                        uploadLimits)) {
            return uploads.upload(configJson, spooled, name, hubId, idempotencyKey).toResponse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ResponseEntity<ModelList> listModels(String after, Integer limit) {
        return ResponseEntity.ok(catalog.list(after, limit));
    }

    @Override
    public ResponseEntity<org.springframework.core.io.Resource> downloadModel(String modelId) {
        return downloads.download(modelId);
    }

    @Override
    public ResponseEntity<Model> getModel(String modelId) {
        return ResponseEntity.ok(catalog.get(modelId));
    }
}
