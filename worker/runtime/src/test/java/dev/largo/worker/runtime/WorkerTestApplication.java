package dev.largo.worker.runtime;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** What an application depending on {@code worker} gets: auto-configuration only, as the worker application. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WorkerTestApplication {
}
