package dev.largo.db.jobs;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class EvaluatedModelConverter extends WireValueConverter<EvaluatedModel> {
    public EvaluatedModelConverter() {
        super(EvaluatedModel.class);
    }
}
