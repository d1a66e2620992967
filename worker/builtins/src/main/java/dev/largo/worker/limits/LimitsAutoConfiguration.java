package dev.largo.worker.limits;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Binds {@link LimitsProperties} in every application that depends on {@code worker}: the service and the worker. */
@AutoConfiguration
@EnableConfigurationProperties(LimitsProperties.class)
public class LimitsAutoConfiguration {
}
