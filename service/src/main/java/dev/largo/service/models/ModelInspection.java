package dev.largo.service.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.largo.api.model.ModelArchitecture;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.errors.ProblemField;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelInspector;
import dev.largo.worker.engine.model.ModelSummary;
import dev.largo.worker.engine.model.bert.BertModelInspector;
import dev.largo.worker.engine.model.bert.EncoderFamily;
import dev.largo.worker.engine.model.mlp.MlpArchitecture;
import dev.largo.worker.engine.model.vit.VitArchitecture;
import dev.largo.worker.limits.LimitsProperties;

/**
 * Validates an uploaded base model with the engine's inspectors: the architecture must be one the engine
 * builds, and the weights must hold exactly the tensors the config implies, with the right shapes (only the
 * safetensors header is read). A text model (BERT family) also needs its {@code tokenizer.json}, which must load
 * and must not produce a token id past the embedding table ({@link BertModelInspector}). A model that fails gets
 * 422 naming the part ({@code config}, {@code weights}, {@code tokenizer} or {@code tokenizer_config}) and the
 * field or tensor.
 */
@Component
public class ModelInspection {

    private final long maxHeaderBytes;

    public ModelInspection(LimitsProperties limits) {
        this.maxHeaderBytes = limits.datasetLimits().maxSafetensorsHeaderBytes();
    }

    /** @throws ApiProblem 422 naming the part and the field or tensor at fault */
    public InspectedModel inspect(ModelParts parts) {
        ModelSummary summary;
        try {
            if (isTextModel(parts.configJson())) {
                summary = BertModelInspector.inspect(parts.configJson(), parts.weights().file(), path(parts.tokenizer()),
                        path(parts.tokenizerConfig()), maxHeaderBytes);
            } else {
                refuseTokenizer(parts);
                summary = ModelInspector.inspect(parts.configJson(), parts.weights().file(), maxHeaderBytes);
            }
        } catch (InvalidModelException e) {
            String where = e.location() == null ? e.param() : e.param() + " " + e.location();
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-model", "Invalid model",
                    where + ": " + e.getMessage(), List.of(new ProblemField(e.param(), e.location(), e.getMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled model files", e);
        }
        ModelArchitecture architecture = architecture(summary.modelType());
        Integer imageSize = architecture == ModelArchitecture.BERT || architecture == ModelArchitecture.DISTILBERT
                ? null : summary.imageSize();
        return new InspectedModel(architecture, summary.numLabels(), imageSize, summary.parameterCount());
    }

    /** A {@code model_type} of the BERT family: read with its tokenizer by {@link BertModelInspector}. */
    private static boolean isTextModel(String configJson) {
        ObjectNode raw = ModelConfig.parseObject(configJson);
        JsonNode type = raw.get("model_type");
        return type != null && type.isString()
                && Arrays.stream(EncoderFamily.values()).anyMatch(family -> family.modelType().equals(type.stringValue()));
    }

    /** A tokenizer with an image model is a mistake (the wrong config, or files of two models): say so. */
    private static void refuseTokenizer(ModelParts parts) {
        if (parts.tokenizer() != null || parts.tokenizerConfig() != null) {
            throw new InvalidModelException(parts.tokenizer() != null ? "tokenizer" : "tokenizer_config",
                    "is for text models (model_type \"bert\" or \"distilbert\"); this config.json describes an image"
                            + " model, which takes none");
        }
    }

    private static Path path(dev.largo.service.uploads.SpooledUpload part) {
        return part == null ? null : part.file();
    }

    /** The engine's {@code model_type} names (its model registry) as the service stores them. */
    private static ModelArchitecture architecture(String modelType) {
        if (modelType.equals(VitArchitecture.MODEL_TYPE)) {
            return ModelArchitecture.VIT;
        }
        if (modelType.equals(MlpArchitecture.MODEL_TYPE)) {
            return ModelArchitecture.MLP;
        }
        if (modelType.equals(EncoderFamily.BERT.modelType())) {
            return ModelArchitecture.BERT;
        }
        if (modelType.equals(EncoderFamily.DISTILBERT.modelType())) {
            return ModelArchitecture.DISTILBERT;
        }
        throw new IllegalStateException("the engine accepted model_type '" + modelType
                + "', which the service does not know");
    }
}
