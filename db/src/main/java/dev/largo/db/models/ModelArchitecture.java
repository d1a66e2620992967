package dev.largo.db.models;

import dev.largo.db.datasets.DatasetTaskType;
import dev.largo.db.support.WireValued;

/** A base model's {@code model_type}, and so what it classifies. */
public enum ModelArchitecture implements WireValued {
    VIT(DatasetTaskType.IMAGE_CLASSIFICATION),
    MLP(DatasetTaskType.IMAGE_CLASSIFICATION),
    BERT(DatasetTaskType.TEXT_CLASSIFICATION),
    DISTILBERT(DatasetTaskType.TEXT_CLASSIFICATION);

    private final DatasetTaskType taskType;

    ModelArchitecture(DatasetTaskType taskType) {
        this.taskType = taskType;
    }

    /** The datasets it trains on: images for vit and mlp, texts (with its tokenizer) for the BERT family. */
    public DatasetTaskType taskType() {
        return taskType;
    }

    public static ModelArchitecture fromWire(String value) {
        return WireValued.fromWire(ModelArchitecture.class, value);
    }
}
