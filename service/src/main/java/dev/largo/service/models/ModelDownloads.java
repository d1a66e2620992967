package dev.largo.service.models;

import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.service.downloads.ZipStream;
import dev.largo.service.errors.ApiProblem;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PreprocessorConfig;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.LicenseFile;
import dev.largo.worker.engine.model.bert.BertModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
 * {@code config.json}, the weights artifact, and for an image model the {@code preprocessor_config.json} of the
 * engine's image preprocessing, for a text model its {@code tokenizer.json} (and {@code tokenizer_config.json});
 * a built-in model's licence file comes with it. A PEFT user needs this base beside an adapter.
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
        List<ZipStream.Entry> entries = new ArrayList<>();
        entries.add(new ZipStream.Entry(MergedModelWriter.CONFIG, () -> text(config)));
        entries.add(new ZipStream.Entry(MergedModelWriter.WEIGHTS, () -> artifacts.open(model.getWeightsArtifactId())));
        if (model.getArchitecture().taskType() == DatasetTaskType.TEXT_CLASSIFICATION) {
            if (model.getTokenizerArtifactId() != null) {
                entries.add(new ZipStream.Entry(BertModels.TOKENIZER, () -> artifacts.open(model.getTokenizerArtifactId())));
            }
            if (model.getTokenizerConfigArtifactId() != null) {
                entries.add(new ZipStream.Entry(BertModels.TOKENIZER_CONFIG,
                        () -> artifacts.open(model.getTokenizerConfigArtifactId())));
            }
        } else {
            String preprocessor = PreprocessorConfig.json(ModelConfig.parse(config));
            entries.add(new ZipStream.Entry(PreprocessorConfig.FILE, () -> text(preprocessor)));
        }
        if (model.isBuiltIn()) {
            BuiltinAssets.licenseOf(model.getId()).ifPresent(license -> entries.add(new ZipStream.Entry(
                    license.fileName(), () -> open(license))));
        }
        ZipStream zip = new ZipStream(entries);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(id + ".zip").build().toString())
                .body(new InputStreamResource(zip));
    }

    private static InputStream open(LicenseFile license) {
        try {
            return license.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteArrayInputStream text(String value) {
        return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }
}
