package dev.largo.worker.engine.model;

/**
 * A base model that cannot be used: unknown architecture, a config field out of range, or a weights file
 * whose tensors do not match what the config implies. Thrown only for bad input, so a service can map it
 * to a client error.
 */
public class InvalidModelException extends RuntimeException {

    private final String param;
    private final String location;

    /**
     * @param param the uploaded part at fault: {@code config} (config.json) or {@code weights} (model.safetensors)
     * @param message what is wrong, naming the field or tensor and the expected vs actual value
     */
    public InvalidModelException(String param, String message) {
        this(param, null, message);
    }

    /**
     * @param location the config field or tensor name at fault, or null
     */
    public InvalidModelException(String param, String location, String message) {
        super(message);
        this.param = param;
        this.location = location;
    }

    public String param() {
        return param;
    }

    /** The config field or tensor name at fault; null when the problem is the file as a whole. */
    public String location() {
        return location;
    }
}
