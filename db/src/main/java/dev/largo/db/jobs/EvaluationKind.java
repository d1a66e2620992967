package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Whether an evaluation split is in-distribution or out-of-distribution. */
public enum EvaluationKind implements WireValued {
    ID("id"),
    OOD("ood");

    private final String wireValue;

    EvaluationKind(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static EvaluationKind fromWire(String value) {
        return WireValued.fromWire(EvaluationKind.class, value);
    }
}
