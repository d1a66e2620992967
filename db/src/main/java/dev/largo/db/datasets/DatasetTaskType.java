package dev.largo.db.datasets;

import dev.largo.db.support.WireValued;

public enum DatasetTaskType implements WireValued {
    IMAGE_CLASSIFICATION,
    TEXT_CLASSIFICATION;

    public static DatasetTaskType fromWire(String value) {
        return WireValued.fromWire(DatasetTaskType.class, value);
    }
}
