package dev.largo.worker.engine.model;

import java.util.List;

/**
 * What an uploaded base model is, once checked.
 *
 * @param architecture e.g. {@code ViTForImageClassification}
 * @param numLabels size of the pretrained head
 * @param imageSize input side in pixels (square)
 * @param parameterCount scalars in the weights file
 * @param modelType config.json {@code model_type}
 * @param numChannels input channels
 * @param labels the pretrained head's label names (index = class id)
 */
public record ModelSummary(String architecture, int numLabels, int imageSize, long parameterCount, String modelType,
                           int numChannels, List<String> labels) {

    public ModelSummary {
        labels = List.copyOf(labels);
    }
}
