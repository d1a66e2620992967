package dev.largo.service.models;

import dev.largo.api.model.ModelArchitecture;

/** What validating an uploaded base model found; {@code imageSize} is null for a text model. */
public record InspectedModel(ModelArchitecture architecture, int numLabels, Integer imageSize, long parameterCount) {
}
