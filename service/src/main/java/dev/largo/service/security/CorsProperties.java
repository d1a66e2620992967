package dev.largo.service.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Cross-origin access to the API from browser pages served elsewhere ({@code largo.security.cors.*}). Off unless
 * origins are listed: the dashboard is served by the service itself and needs none.
 *
 * @param allowedOrigins origins (scheme, host, port) whose pages may call the API, e.g. {@code https://ml.example.com}
 */
@ConfigurationProperties("largo.security.cors")
public record CorsProperties(List<String> allowedOrigins) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null ? List.of()
                : allowedOrigins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }
}
