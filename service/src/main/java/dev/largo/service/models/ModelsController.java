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
import dev.largo.service.errors.ApiProblem;
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
            MultipartFile tokenizer, MultipartFile tokenizerConfig, String name, String hubId) {
        if (tokenizerConfig != null && tokenizer == null) {
            throw ApiProblem.invalidParam("tokenizer_config", "comes with its tokenizer.json (part tokenizer),"
                    + " which is missing");
        }
        String configJson;
        try (InputStream in = config.getInputStream()) {
            configJson = ModelUploads.readConfig(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SpooledUpload spooledWeights = spool(weights, "model.safetensors");
        SpooledUpload spooledTokenizer = null;
        SpooledUpload spooledTokenizerConfig = null;
        try {
            spooledTokenizer = spool(tokenizer, ModelParts.TOKENIZER);
            spooledTokenizerConfig = spool(tokenizerConfig, ModelParts.TOKENIZER_CONFIG);
        } catch (RuntimeException e) {
            new ModelParts(configJson, spooledWeights, spooledTokenizer, spooledTokenizerConfig).close();
            throw e;
        }
        try (ModelParts parts = new ModelParts(configJson, spooledWeights, spooledTokenizer, spooledTokenizerConfig)) {
            return uploads.upload(parts, name, hubId, idempotencyKey).toResponse();
        }
    }

    /** The part on disk, or null when it was not given. */
    private SpooledUpload spool(MultipartFile part, String fileName) {
        if (part == null) {
            return null;
        }
        try (InputStream in = part.getInputStream()) {
            return SpooledUpload.spool(in, fileName, part.getContentType(), uploadLimits);
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
