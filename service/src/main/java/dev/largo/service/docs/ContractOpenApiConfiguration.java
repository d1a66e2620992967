package dev.largo.service.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/**
 * springdoc serves the contract file (api-spec's {@code openapi.yaml}) at {@code /v3/api-docs} and in the
 * docs UI instead of re-deriving a description from the controllers: the contract is the source of truth and
 * the controllers are generated from it. springdoc is told not to scan any controller
 * ({@code springdoc.paths-to-exclude}), so what it serves is exactly this bean.
 */
@Configuration(proxyBeanMethods = false)
public class ContractOpenApiConfiguration {

    /** Where api-spec puts the contract on the classpath. */
    public static final String CONTRACT = "openapi.yaml";

    @Bean
    OpenAPI largoContract() {
        try (InputStream in = new ClassPathResource(CONTRACT).getInputStream()) {
            return Yaml.mapper().readValue(in, OpenAPI.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API contract " + CONTRACT + " from the classpath", e);
        }
    }
}
