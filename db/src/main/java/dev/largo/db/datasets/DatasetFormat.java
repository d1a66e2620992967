package dev.largo.db.datasets;

import dev.largo.db.support.WireValued;

public enum DatasetFormat implements WireValued {
    IMAGEFOLDER_ZIP("imagefolder_zip"),
    SAFETENSORS("safetensors"),
    JSONL("jsonl"),
    IDX("idx");

    private final String wireValue;

    DatasetFormat(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static DatasetFormat fromWire(String value) {
        return WireValued.fromWire(DatasetFormat.class, value);
    }
}
