package dev.largo.service.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.largo.api.model.ModelArchitecture;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.errors.ProblemField;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelInspector;
import dev.largo.worker.engine.model.ModelSummary;
import dev.largo.worker.engine.model.mlp.MlpArchitecture;
import dev.largo.worker.engine.model.vit.VitArchitecture;
import dev.largo.worker.limits.LimitsProperties;

/**
 * Validates an uploaded base model with the engine's {@link ModelInspector}: the architecture must be one the
 * engine builds, and the weights must hold exactly the tensors the config implies, with the right shapes
 * (only the safetensors header is read). A model that fails gets 422 naming the part ({@code config} or
 * {@code weights}) and the field or tensor.
 */
@Component
public class ModelInspection {

    private final long maxHeaderBytes;

    public ModelInspection(LimitsProperties limits) {
        this.maxHeaderBytes = limits.datasetLimits().maxSafetensorsHeaderBytes();
    }

    /** @throws ApiProblem 422 naming the config field or tensor at fault */
    public InspectedModel inspect(String configJson, Path weights) {
        ModelSummary summary;
        try {
            summary = ModelInspector.inspect(configJson, weights, maxHeaderBytes);
        } catch (InvalidModelException e) {
            String where = e.location() == null ? e.param() : e.param() + " " + e.location();
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-model", "Invalid model",
                    where + ": " + e.getMessage(), List.of(new ProblemField(e.param(), e.location(), e.getMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled weights " + weights, e);
        }
        return new InspectedModel(architecture(summary.modelType()), summary.numLabels(), summary.imageSize(),
                summary.parameterCount());
    }

    /** The engine's {@code model_type} names (its model registry) as the service stores them. */
    private static ModelArchitecture architecture(String modelType) {
        return switch (modelType) {
            case VitArchitecture.MODEL_TYPE -> ModelArchitecture.VIT;
            case MlpArchitecture.MODEL_TYPE -> ModelArchitecture.MLP;
            default -> throw new IllegalStateException("the engine accepted model_type '" + modelType
                    + "', which the service does not know");
        };
    }
}
