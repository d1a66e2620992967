package dev.largo.service.models;

import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.service.downloads.ZipStream;
import dev.largo.service.errors.ApiProblem;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PreprocessorConfig;
import dev.largo.worker.engine.model.ModelConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import lombok.RequiredArgsConstructor;

/**
 * A base model as the Hugging Face folder {@code from_pretrained} loads, zipped while it streams: the stored
 * {@code config.json}, the weights artifact, and the {@code preprocessor_config.json} of the engine's image
 * preprocessing. A PEFT user needs this base beside an adapter.
 */
@Service
@RequiredArgsConstructor
public class ModelDownloads {

    private final ModelCatalog catalog;
    private final ArtifactStore artifacts;

    public ResponseEntity<Resource> download(String id) {
        BaseModelEntity model = catalog.find(id);
        if (model.getWeightsArtifactId() == null || artifacts.find(model.getWeightsArtifactId()).isEmpty()) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found", "model " + id + " has no stored weights",
                    List.of());
        }
        String config = model.getConfigJson();
        String preprocessor = PreprocessorConfig.json(ModelConfig.parse(config));
        ZipStream zip = new ZipStream(List.of(
                new ZipStream.Entry(MergedModelWriter.CONFIG, () -> text(config)),
                new ZipStream.Entry(MergedModelWriter.WEIGHTS, () -> artifacts.open(model.getWeightsArtifactId())),
                new ZipStream.Entry(PreprocessorConfig.FILE, () -> text(preprocessor))));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(id + ".zip").build().toString())
                .body(new InputStreamResource(zip));
    }

    private static ByteArrayInputStream text(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }
}
