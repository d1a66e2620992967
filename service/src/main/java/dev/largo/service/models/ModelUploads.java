package dev.largo.service.models;

import java.util.List;
import dev.largo.service.errors.ProblemField;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.largo.api.model.Model;
import dev.largo.db.artifacts.ArtifactRef;
import dev.largo.db.artifacts.ArtifactStore;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.models.ModelArchitecture;
import dev.largo.db.support.Tenants;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.idempotency.Created;
import dev.largo.service.idempotency.IdempotentPosts;
import dev.largo.service.idempotency.RequestFingerprint;
import dev.largo.service.tenancy.CurrentTenant;
import dev.largo.service.uploads.SpooledUpload;
import lombok.RequiredArgsConstructor;

/**
 * Registers an uploaded base model: validate {@code config.json} against the weights, then store the weights
 * and the row in one transaction; a model that fails validation leaves nothing behind.
 */
@Service
@RequiredArgsConstructor
public class ModelUploads {

    static final String RESOURCE = "model";
    /** A config.json is a few kilobytes; anything this large is not one. */
    static final int MAX_CONFIG_BYTES = 1 << 20;

    private final ModelInspection inspection;
    private final ArtifactStore artifacts;
    private final BaseModelRepository models;
    private final ModelCatalog catalog;
    private final IdempotentPosts posts;
    private final CurrentTenant tenant;
    private final ObjectMapper json;

    public Created<Model> upload(String configJson, SpooledUpload weights, String name, String hubId,
            String idempotencyKey) {
        JsonNode config = parseConfig(configJson);
        String fingerprint = RequestFingerprint.of("POST /v1/models", name, hubId, configJson, weights.sha256());
        Function<String, Model> load = catalog::get;
        Optional<Created<Model>> replay = posts.replay(idempotencyKey, fingerprint, RESOURCE, load, Model.class);
        if (replay.isPresent()) {
            return replay.get();
        }
        InspectedModel inspected = inspection.inspect(configJson, weights.file());
        String modelName = name != null ? name : config.path("_name_or_path").asString(null);
        return posts.run(idempotencyKey, fingerprint, RESOURCE, HttpStatus.CREATED,
                () -> store(BaseModelEntity.newUploadedModelId(), tenant.id(), configJson, weights, modelName, hubId,
                        inspected),
                load, Model.class);
    }

    /**
     * Registers a model that ships with the service under its fixed id, through the same validation as an
     * upload; a model already registered under that id is left as it is.
     *
     * @return whether the model was registered now
     */
    @Transactional
    public boolean registerBuiltIn(String id, String name, String configJson, SpooledUpload weights) {
        if (models.existsById(id)) {
            return false;
        }
        parseConfig(configJson);
        InspectedModel inspected = inspection.inspect(configJson, weights.file());
        store(id, Tenants.SHARED, configJson, weights, name, null, inspected);
        return true;
    }

    /** Reads the config part, which is small by nature; a larger one is refused rather than buffered. */
    public static String readConfig(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw invalidConfig("is larger than " + MAX_CONFIG_BYTES + " bytes; a config.json is a small JSON object");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode parseConfig(String configJson) {
        try {
            JsonNode config = json.readTree(configJson);
            if (config == null || !config.isObject()) {
                throw invalidConfig("is not a JSON object");
            }
            return config;
        } catch (JacksonException e) {
            throw invalidConfig("is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiProblem invalidConfig(String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-model", "Invalid model", "config: " + message,
                List.of(ProblemField.param("config", message)));
    }

    /** Stores the model for {@code owner}; what the shared owner holds is a built-in, read by every tenant. */
    private String store(String id, String owner, String configJson, SpooledUpload weights, String name, String hubId,
            InspectedModel inspected) {
        ArtifactRef artifact;
        try (InputStream in = weights.open()) {
            artifact = artifacts.put(ArtifactStore.KIND_MODEL_WEIGHTS, "model.safetensors",
                    "application/octet-stream", in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BaseModelEntity entity = new BaseModelEntity(id);
        entity.setTenantId(owner);
        entity.setName(name != null && !name.isBlank() ? name : entity.getId());
        entity.setArchitecture(ModelArchitecture.fromWire(inspected.architecture().getValue()));
        entity.setBuiltIn(Tenants.SHARED.equals(owner));
        entity.setConfigJson(configJson);
        entity.setWeightsArtifactId(artifact.id());
        entity.setParameterCount(inspected.parameterCount());
        entity.setNumLabels(inspected.numLabels());
        entity.setImageSize(inspected.imageSize());
        entity.setHubId(hubId);
        models.save(entity);
        return entity.getId();
    }
}
