package dev.largo.worker.engine.support;

/**
 * A job setting the engine refuses, with the JSON path of that setting in a job spec ({@code hyperparameters.epochs},
 * {@code method.lora.r}, {@code method.gorp.full_rank_targets}): whoever reads the spec reports the field at fault
 * from here, not by parsing the message.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String param;

    public InvalidSettingException(String param, String message) {
        super(message);
        this.param = param;
    }

    /** The setting's path in the job spec's snake_case JSON. */
    public String param() {
        return param;
    }

    /** Throws when {@code condition} does not hold. */
    public static void require(boolean condition, String param, String message) {
        if (!condition) {
            throw new InvalidSettingException(param, message);
        }
    }
}
