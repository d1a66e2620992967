package dev.largo.service.models;

import java.util.List;
import dev.largo.service.errors.ProblemField;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.largo.api.model.Model;
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
 * Registers an uploaded base model: validate {@code config.json} against the weights (and a text model's
 * tokenizer against its vocabulary), then store the files and the row in one transaction; a model that fails
 * validation leaves nothing behind.
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

    public Created<Model> upload(ModelParts parts, String name, String hubId, String idempotencyKey) {
        JsonNode config = parseConfig(parts.configJson());
        String fingerprint = RequestFingerprint.of("POST /v1/models", name, hubId, parts.configJson(),
                parts.weights().sha256(), parts.tokenizerSha256s());
        Function<String, Model> load = catalog::get;
        Optional<Created<Model>> replay = posts.replay(idempotencyKey, fingerprint, RESOURCE, load, Model.class);
        if (replay.isPresent()) {
            return replay.get();
        }
        InspectedModel inspected = inspection.inspect(parts);
        String modelName = name != null ? name : config.path("_name_or_path").asString(null);
        return posts.run(idempotencyKey, fingerprint, RESOURCE, HttpStatus.CREATED,
                () -> store(BaseModelEntity.newUploadedModelId(), tenant.id(), parts, modelName, hubId, null, inspected),
                load, Model.class);
    }

    /**
     * Registers a model that ships with the service under its fixed id, through the same validation as an
     * upload; a model already registered under that id is left as it is.
     *
     * @param hubId where the model comes from on the Hugging Face Hub, or null
     * @param license its licence (SPDX id), or null
     * @return whether the model was registered now
     */
    @Transactional
    public boolean registerBuiltIn(String id, String name, ModelParts parts, String hubId, String license) {
        if (models.existsById(id)) {
            return false;
        }
        parseConfig(parts.configJson());
        InspectedModel inspected = inspection.inspect(parts);
        store(id, Tenants.SHARED, parts, name, hubId, license, inspected);
        return true;
    }

    /** Whether a model is registered under {@code id} (a built-in's registration can then skip its preparation). */
    @Transactional(readOnly = true)
    public boolean exists(String id) {
        return models.existsById(id);
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
    private String store(String id, String owner, ModelParts parts, String name, String hubId, String license,
            InspectedModel inspected) {
        BaseModelEntity entity = new BaseModelEntity(id);
        entity.setTenantId(owner);
        entity.setName(name != null && !name.isBlank() ? name : entity.getId());
        entity.setArchitecture(ModelArchitecture.fromWire(inspected.architecture().getValue()));
        entity.setBuiltIn(Tenants.SHARED.equals(owner));
        entity.setConfigJson(parts.configJson());
        entity.setWeightsArtifactId(put(ArtifactStore.KIND_MODEL_WEIGHTS, "model.safetensors", parts.weights()));
        if (parts.tokenizer() != null) {
            entity.setTokenizerArtifactId(put(ArtifactStore.KIND_TOKENIZER, ModelParts.TOKENIZER, parts.tokenizer()));
        }
        if (parts.tokenizerConfig() != null) {
            entity.setTokenizerConfigArtifactId(put(ArtifactStore.KIND_TOKENIZER, ModelParts.TOKENIZER_CONFIG,
                    parts.tokenizerConfig()));
        }
        entity.setParameterCount(inspected.parameterCount());
        entity.setNumLabels(inspected.numLabels());
        entity.setImageSize(inspected.imageSize());
        entity.setHubId(hubId);
        entity.setLicense(license);
        models.save(entity);
        return entity.getId();
    }

    private UUID put(String kind, String fileName, SpooledUpload part) {
        try (InputStream in = part.open()) {
            return artifacts.put(kind, fileName, "application/octet-stream", in).id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
