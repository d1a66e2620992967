package dev.largo.db.datasets;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class DatasetTaskTypeConverter extends WireValueConverter<DatasetTaskType> {
    public DatasetTaskTypeConverter() {
        super(DatasetTaskType.class);
    }
}
