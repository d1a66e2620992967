package dev.largo.db.jobs;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class EventLevelConverter extends WireValueConverter<EventLevel> {
    public EventLevelConverter() {
        super(EventLevel.class);
    }
}
