package dev.largo.db.datasets;

import dev.largo.db.support.WireValued;

public enum DatasetTaskType implements WireValued {
    IMAGE_CLASSIFICATION("image_classification"),
    TEXT_CLASSIFICATION("text_classification");

    private final String wireValue;

    DatasetTaskType(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static DatasetTaskType fromWire(String value) {
        return WireValued.fromWire(DatasetTaskType.class, value);
    }
}
