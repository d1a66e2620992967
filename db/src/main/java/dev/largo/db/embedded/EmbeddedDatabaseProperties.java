package dev.largo.db.embedded;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL of the default mode ({@code largo.database.embedded.*}); used only when no
 * {@code spring.datasource.url} is configured.
 *
 * @param enabled false to require an external database even when no URL is set
 * @param dataDir where the database files live; kept across restarts
 * @param port TCP port on 127.0.0.1; 0 (the default) for a free one, so that instances never meet on a port
 */
@ConfigurationProperties("largo.database.embedded")
public record EmbeddedDatabaseProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("./data/postgres") Path dataDir,
        @DefaultValue("0") int port) {
}
