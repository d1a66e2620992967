package dev.largo.db.jobs;

import dev.largo.db.support.WireValued;

/** Severity of a job event. */
public enum EventLevel implements WireValued {
    DEBUG("debug"),
    INFO("info"),
    WARN("warn"),
    ERROR("error");

    private final String wireValue;

    EventLevel(String wireValue) {
        this.wireValue = wireValue;
    }

    @Override
    public String wireValue() {
        return wireValue;
    }

    public static EventLevel fromWire(String value) {
        return WireValued.fromWire(EventLevel.class, value);
    }
}
