package dev.largo.db.models;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class ModelArchitectureConverter extends WireValueConverter<ModelArchitecture> {
    public ModelArchitectureConverter() {
        super(ModelArchitecture.class);
    }
}
