package dev.largo.worker.engine.data;

/**
 * A dataset file that cannot be used, with where the fault is (a zip entry, a JSONL row, a tensor
 * name, or the file itself) and what is wrong, so a user can fix the upload.
 */
public class InvalidDatasetException extends Exception {

    private final String location;
    private final String detail;

    public InvalidDatasetException(String location, String message) {
        super(location + ": " + message);
        this.location = location;
        this.detail = message;
    }

    public InvalidDatasetException(String location, String message, Throwable cause) {
        super(location + ": " + message, cause);
        this.location = location;
        this.detail = message;
    }

    /** Where in the file the fault is: zip entry, "row N", tensor name, or the file name. */
    public String location() {
        return location;
    }

    /** What is wrong, without the location. */
    public String detail() {
        return detail;
    }
}
