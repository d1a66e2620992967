package dev.largo.db.jobs;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class JobStatusConverter extends WireValueConverter<JobStatus> {
    public JobStatusConverter() {
        super(JobStatus.class);
    }
}
