package dev.largo.worker.engine.io;

import java.io.IOException;

/** A safetensors file that breaks the format; the message names the tensor (if any) and the fault. */
public class SafeTensorsFormatException extends IOException {

    private final String tensorName;

    public SafeTensorsFormatException(String message) {
        super(message);
        this.tensorName = null;
    }

    public SafeTensorsFormatException(String tensorName, String message) {
        super("tensor '" + tensorName + "': " + message);
        this.tensorName = tensorName;
    }

    public SafeTensorsFormatException(String message, Throwable cause) {
        super(message, cause);
        this.tensorName = null;
    }

    /** The offending tensor's name, or null when the fault is in the file as a whole. */
    public String tensorName() {
        return tensorName;
    }
}
