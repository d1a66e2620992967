package dev.largo.service.security;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat refuses an encoded {@code /} ({@code %2F}) itself, with an HTML error page, before any filter runs. It
 * passes such paths through undecoded instead, so that the firewall refuses them like every other ambiguous
 * path: with this API's 400 problem+json. (Undecoded, {@code %2F} never turns into a path separator.)
 */
@Configuration(proxyBeanMethods = false)
public class EncodedSlashesToTheFirewall {

    private static final String PASS_THROUGH = "passthrough";

    @Bean
    TomcatConnectorCustomizer encodedSlashesPassThrough() {
        return connector -> {
            connector.setEncodedSolidusHandling(PASS_THROUGH);
            connector.setEncodedReverseSolidusHandling(PASS_THROUGH);
        };
    }
}
