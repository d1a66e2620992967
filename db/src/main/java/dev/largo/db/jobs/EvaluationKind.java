package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Whether an evaluation split is in-distribution or out-of-distribution. */
public enum EvaluationKind implements WireValued {
    ID,
    OOD;

    public static EvaluationKind fromWire(String value) {
        return WireValued.fromWire(EvaluationKind.class, value);
    }
}
