package dev.largo.worker.runtime;

/**
 * The job cannot run as specified (bad spec, unusable or incompatible model or datasets, diverged training):
 * it fails with this error and is not retried, since another attempt would fail the same way.
 */
public class InvalidJobException extends RuntimeException {

    public static final String INVALID_SPEC = "invalid_spec";
    public static final String INVALID_MODEL = "invalid_model";
    public static final String INVALID_DATASET = "invalid_dataset";
    public static final String UNSUPPORTED_TASK = "unsupported_task";
    public static final String TRAINING_DIVERGED = "training_diverged";

    private final String code;
    private final String param;

    /**
     * @param code machine-readable, e.g. {@link #INVALID_DATASET}
     * @param param the job field the error is about ({@code training_dataset},
     *     {@code evaluation_splits[1].dataset}, {@code hyperparameters.learning_rate}...), or null
     */
    public InvalidJobException(String code, String param, String message) {
        super(message);
        this.code = code;
        this.param = param;
    }

    public InvalidJobException(String code, String param, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.param = param;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
