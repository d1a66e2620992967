package dev.largo.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The LARGO fine-tuning service: REST API, uploads, dashboard. The db module's auto-configuration brings its
 * entities, repositories, artifact store, job queue and (with no datasource configured) the embedded PostgreSQL.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LargoServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(LargoServiceApplication.class, args);
    }
}
