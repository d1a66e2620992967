package dev.largo.worker.engine.export;

/** An adapter zip that does not fit its base model or is not a LoRA adapter this engine can apply. */
public class InvalidAdapterException extends RuntimeException {

    public InvalidAdapterException(String message) {
        super(message);
    }
}
