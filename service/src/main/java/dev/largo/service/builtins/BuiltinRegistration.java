package dev.largo.service.builtins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import dev.largo.api.model.DatasetFormat;
import dev.largo.api.model.TaskType;
import dev.largo.service.datasets.DatasetUploadRequest;
import dev.largo.service.datasets.DatasetUploads;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.models.ModelUploads;
import dev.largo.service.uploads.SpooledUpload;
import dev.largo.service.uploads.UploadProperties;
import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.service.models.ModelParts;
import dev.largo.worker.builtin.BuiltinModel;
import dev.largo.worker.builtin.BuiltinTextModel;
import dev.largo.worker.builtin.ShippedDataset;
import dev.largo.worker.engine.model.bert.BertModels;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Registers what ships with the service at start: the built-in base models (the ViT always, the text model
 * all-MiniLM-L6-v2 unless {@code largo.builtins.text-model} is false) and the sample datasets of the quick starts,
 * images and texts ({@code largo.builtins.sample-datasets}, on by default), so a new user can run a job without
 * uploading anything. Both go through the same validation and storage as uploads. A restart
 * registers nothing twice: each has a fixed id (the model its name, each sample a name-based UUID, see
 * {@link #sampleId}), so the quick start's one-line job request works on every installation.
 */
@Component
@ConditionalOnProperty(prefix = "largo.builtins", name = "enabled", havingValue = "true", matchIfMissing = true)
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
public class BuiltinRegistration implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BuiltinRegistration.class);

    private final ModelUploads models;
    private final DatasetUploads datasets;
    private final UploadProperties uploads;
    private final BuiltinProperties properties;

    @Override
    public void run(ApplicationArguments args) throws IOException {
        registerAll();
    }

    /** Registers whatever of the built-ins is missing; safe to call any number of times. */
    public void registerAll() throws IOException {
        for (BuiltinModel model : BuiltinAssets.models()) {
            try (ModelParts parts = ModelParts.of(model.configJson(), spool(model.openWeights(), BuiltinModel.WEIGHTS))) {
                if (models.registerBuiltIn(model.id(), model.id(), parts, null, null)) {
                    log.info("registered built-in base model {}", model.id());
                }
            }
        }
        if (properties.textModel()) {
            try {
                registerTextModel();
            } catch (IOException e) {
                // the image quick start still works; text jobs on all-minilm-l6-v2 are refused (no such model)
                log.error("built-in text model {} is not registered: {}", BuiltinAssets.textModel().id(), e.toString());
            }
        }
        if (properties.sampleDatasets()) {
            for (ShippedDataset sample : BuiltinAssets.allDatasets()) {
                registerSample(sample);
            }
        }
    }

    /**
     * Registers the built-in text model unless it is there: converted at the first start (cached under
     * {@code cache-dir}) and stored with its tokenizer, whatever {@code largo.builtins.text-model} says.
     */
    public void registerTextModel() throws IOException {
        BuiltinTextModel model = BuiltinAssets.textModel();
        if (models.exists(model.id())) {
            return;
        }
        long started = System.nanoTime();
        Path folder = model.materialize(properties.cacheDir().toAbsolutePath());
        String config = Files.readString(folder.resolve(BertModels.CONFIG), StandardCharsets.UTF_8);
        try (SpooledUpload weights = spool(folder, BertModels.WEIGHTS);
                SpooledUpload tokenizer = spool(folder, BertModels.TOKENIZER);
                SpooledUpload tokenizerConfig = spool(folder, BertModels.TOKENIZER_CONFIG)) {
            ModelParts parts = new ModelParts(config, weights, tokenizer, tokenizerConfig);
            if (models.registerBuiltIn(model.id(), model.id(), parts, model.hubId(), model.license())) {
                log.info("registered built-in text model {} ({}) in {} ms", model.id(), model.hubId(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    private void registerSample(ShippedDataset sample) throws IOException {
        DatasetUploadRequest request = new DatasetUploadRequest(sample.name(),
                TaskType.fromValue(sample.taskType().name().toLowerCase(Locale.ROOT)),
                DatasetFormat.fromValue(sample.format().name().toLowerCase(Locale.ROOT)), sample.split().id(),
                sample.domainId(), sample.fileName());
        try (SpooledUpload file = spool(sample.open(), sample.fileName())) {
            if (datasets.registerBuiltIn(sampleId(sample.name()), file, request)) {
                log.info("registered sample dataset {} as {}", sample.name(), sampleId(sample.name()));
            }
        } catch (ApiProblem refused) {
            // input limits (largo.limits.*) set below a sample's size: the workers could not read it either
            log.warn("sample dataset {} is not registered: {}", sample.name(), refused.getMessage());
        }
    }

    /** The fixed id of a sample dataset: a name-based (version 3) UUID of {@code largo-sample:<name>}. */
    static UUID sampleId(String name) {
        return UUID.nameUUIDFromBytes(("largo-sample:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private SpooledUpload spool(Path folder, String fileName) throws IOException {
        return spool(Files.newInputStream(folder.resolve(fileName)), fileName);
    }

    private SpooledUpload spool(InputStream in, String filename) throws IOException {
        try (in) {
            // what ships with the service is not a user upload: the upload size limit does not apply to it
            UploadProperties unlimited = new UploadProperties(DataSize.ofBytes(Long.MAX_VALUE), uploads.spoolDirectory());
            return SpooledUpload.spool(in, filename, "application/octet-stream", unlimited);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
