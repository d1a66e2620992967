package dev.largo.service.monitoring;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code largo.monitoring.*}.
 *
 * @param refreshInterval how often the queue metrics are read from the database (a few cheap queries; a
 *     Prometheus scrape in between sees the last reading)
 */
@ConfigurationProperties("largo.monitoring")
public record MonitoringProperties(@DefaultValue("15s") Duration refreshInterval) {

    public MonitoringProperties {
        if (refreshInterval == null || refreshInterval.isNegative() || refreshInterval.isZero()) {
            throw new IllegalArgumentException("largo.monitoring.refresh-interval must be a positive duration, got "
                    + refreshInterval);
        }
    }
}
