package dev.largo.db.jobs;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class EvaluationKindConverter extends WireValueConverter<EvaluationKind> {
    public EvaluationKindConverter() {
        super(EvaluationKind.class);
    }
}
