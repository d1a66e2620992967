package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Severity of a job event. */
public enum EventLevel implements WireValued {
    DEBUG,
    INFO,
    WARN,
    ERROR;

    public static EventLevel fromWire(String value) {
        return WireValued.fromWire(EventLevel.class, value);
    }
}
