package dev.largo.service.models;

import java.nio.file.Path;

import org.springframework.stereotype.Component;

/**
 * Validates an uploaded base model with the engine's inspector: the architecture must be one the engine
 * builds, and every tensor the config implies must be in the weights with the right shape.
 */
@Component
public class ModelInspection {

    /** @throws dev.largo.service.errors.ApiProblem 422 naming the config field or tensor at fault */
    public InspectedModel inspect(String configJson, Path weights) {
        throw new UnsupportedOperationException("model inspection needs the engine's ModelInspector");
    }
}
