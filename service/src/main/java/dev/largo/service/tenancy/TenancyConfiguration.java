package dev.largo.service.tenancy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import tools.jackson.databind.ObjectMapper;

import dev.largo.db.support.Tenants;

/**
 * Puts {@link BearerAuthentication} in front of the API (only {@code /v1/*}: the dashboard, the docs and the
 * health and metrics endpoints stay open, the dashboard asks for a key itself) and says at start how requests
 * are authenticated.
 */
@Configuration(proxyBeanMethods = false)
public class TenancyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TenancyConfiguration.class);

    @Bean
    FilterRegistrationBean<BearerAuthentication> bearerAuthentication(ApiSecurityProperties properties,
            ApiKeyLookup keys, ObjectMapper json) {
        FilterRegistrationBean<BearerAuthentication> registration =
                new FilterRegistrationBean<>(new BearerAuthentication(properties, keys, json));
        registration.addUrlPatterns("/v1/*");
        // after Spring's request-context and encoding filters, before anything that reads the request
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    @Bean
    ApplicationRunner securityModeReport(ApiSecurityProperties properties) {
        return args -> {
            if (properties.mode() == SecurityMode.LOCAL) {
                log.info("security mode local: requests without an API key act for the single tenant '{}'"
                        + " (set largo.security.mode=api-keys to require keys)", Tenants.LOCAL);
            } else {
                log.info("security mode api-keys: every API request needs a tenant's API key");
            }
            log.info("tenant administration (/v1/tenants) is {}", properties.adminEnabled() ? "enabled"
                    : "disabled: no administrator key (largo.security.admin-key)");
        };
    }
}
