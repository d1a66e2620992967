package dev.largo.db.jobs;

import dev.largo.db.support.WireValueConverter;
import jakarta.persistence.Converter;

@Converter
public class TaskStatusConverter extends WireValueConverter<TaskStatus> {
    public TaskStatusConverter() {
        super(TaskStatus.class);
    }
}
