package dev.largo.db.datasets;

import dev.largo.db.support.WireValued;

public enum DatasetFormat implements WireValued {
    IMAGEFOLDER_ZIP,
    SAFETENSORS,
    JSONL,
    IDX;

    public static DatasetFormat fromWire(String value) {
        return WireValued.fromWire(DatasetFormat.class, value);
    }
}
