package dev.largo.service.uploads;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits and scratch space of uploads. Multipart uploads are also bounded by
 * {@code spring.servlet.multipart.max-file-size} / {@code max-request-size}, which the container enforces
 * before the service sees the request; raw-body uploads are bounded by {@link #maxSize} while they stream.
 *
 * @param maxSize largest file accepted (default 2GB), counted while it streams in
 * @param spoolDirectory where uploads are spooled while they are hashed and validated (default: the JVM temp dir)
 */
@ConfigurationProperties("largo.uploads")
public record UploadProperties(DataSize maxSize, Path spoolDirectory) {

    public UploadProperties {
        if (maxSize == null) {
            maxSize = DataSize.ofGigabytes(2);
        }
        if (spoolDirectory == null) {
            spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        }
    }
}
