package dev.largo.db.embedded;

/**
 * The embedded PostgreSQL of the default mode cannot be this instance's own: another instance runs on its data
 * directory, or its server did not start. Says what happened and what to do; start-up fails with it
 * ({@link EmbeddedDatabaseFailureAnalyzer} prints both).
 */
public class EmbeddedDatabaseException extends IllegalStateException {

    private final String action;

    EmbeddedDatabaseException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    public String action() {
        return action;
    }

    @Override
    public String getMessage() {
        return super.getMessage() + ". " + action;
    }

    /** The message without the action. */
    public String description() {
        return super.getMessage();
    }
}
