package dev.largo.db.testsupport;

import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of Spring Boot tests of the db module against the shared test PostgreSQL; all subclasses share one
 * application context. Hibernate validates the entities against the Flyway schema at start-up, so a mapping
 * that does not match a migration fails every test.
 */
@SpringBootTest(classes = DbTestApplication.class, properties = {
        "spring.jpa.hibernate.ddl-auto=validate",
        "spring.jpa.open-in-view=false",
        // queue tests drive the reaper themselves
        "largo.queue.reaper-enabled=false"})
public abstract class DbIntegrationTest {

    @Autowired
    protected DataSource dataSource;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.registerProperties(registry);
    }
}
