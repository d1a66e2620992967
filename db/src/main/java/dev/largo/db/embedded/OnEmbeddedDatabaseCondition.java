package dev.largo.db.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.core.env.Environment;

/** Matches when no {@code spring.datasource.url} is set and the embedded database is not disabled. */
class OnEmbeddedDatabaseCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment env = context.getEnvironment();
        String url = env.getProperty("spring.datasource.url");
        if (url != null && !url.isBlank()) {
            return ConditionOutcome.noMatch("spring.datasource.url is set");
        }
        if (!env.getProperty("largo.database.embedded.enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("largo.database.embedded.enabled is false");
        }
        return ConditionOutcome.match("no spring.datasource.url: using the embedded PostgreSQL");
    }
}
