package dev.largo.db.models;

import dev.largo.db.support.WireValued;

public enum ModelArchitecture implements WireValued {
    VIT,
    MLP;

    public static ModelArchitecture fromWire(String value) {
        return WireValued.fromWire(ModelArchitecture.class, value);
    }
}
