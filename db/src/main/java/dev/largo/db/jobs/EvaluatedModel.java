package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Which model an evaluation row measures: the fine-tuned one or the untouched base model for reference. */
public enum EvaluatedModel implements WireValued {
    FINE_TUNED,
    BASE_REFERENCE;

    public static EvaluatedModel fromWire(String value) {
        return WireValued.fromWire(EvaluatedModel.class, value);
    }
}
