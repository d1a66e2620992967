package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Which model an evaluation row measures: the fine-tuned one or the untouched base model for reference. */
public enum EvaluatedModel implements WireValued {
    FINE_TUNED("fine_tuned"),
    BASE_REFERENCE("base_reference");

    private final String wireValue;

    EvaluatedModel(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static EvaluatedModel fromWire(String value) {
        return WireValued.fromWire(EvaluatedModel.class, value);
    }
}
