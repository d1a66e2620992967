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

    /** libtorch's intra-op threads for the in-process worker, unless -Dai.djl.pytorch.num_threads says otherwise. */
    static final String IN_PROCESS_TORCH_THREADS = "1";

    public static void main(String[] args) {
        // The in-process worker shares the cores with request handling. With two intra-op threads a step is
        // about 10% faster on an idle 2-core machine, but every op then waits for a thread that a busy core
        // preempts: under dashboards polling every second training ran 6.7x slower, against 1.7x with one
        // thread (BENCHMARKS.md, load test). Read once, when the engine starts, so it is set before anything.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", IN_PROCESS_TORCH_THREADS);
        }
        SpringApplication.run(LargoServiceApplication.class, args);
    }
}
