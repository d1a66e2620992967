package dev.largo.db.support;

import jakarta.persistence.AttributeConverter;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/** Stores a {@link WireValued} enum as its wire value; one small subclass per enum type. */
@RequiredArgsConstructor(access = AccessLevel.PROTECTED)
public abstract class WireValueConverter<E extends Enum<E> & WireValued> implements AttributeConverter<E, String> {

    private final Class<E> type;

    @Override
    public String convertToDatabaseColumn(E attribute) {
        return attribute == null ? null : attribute.wireValue();
    }

    @Override
    public E convertToEntityAttribute(String dbData) {
        return dbData == null ? null : WireValued.fromWire(type, dbData);
    }
}
