package dev.largo.worker.engine.data;

/** What a dataset trains. */
public enum TaskType {
    IMAGE_CLASSIFICATION,
    TEXT_CLASSIFICATION
}
