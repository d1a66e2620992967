package dev.largo.db.datasets;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class DatasetFormatConverter extends WireValueConverter<DatasetFormat> {
    public DatasetFormatConverter() {
        super(DatasetFormat.class);
    }
}
