package dev.largo.db.models;

import dev.largo.db.support.WireValued;

public enum ModelArchitecture implements WireValued {
    VIT("vit"),
    MLP("mlp");

    private final String wireValue;

    ModelArchitecture(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static ModelArchitecture fromWire(String value) {
        return WireValued.fromWire(ModelArchitecture.class, value);
    }
}
