package dev.largo.db.testsupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The smallest application using {@code db}: only auto-configuration (no component scan), exactly what the
 * service and worker get by depending on the module.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class DbTestApplication {
}
