package dev.largo.db.support;

/**
 * A pagination cursor ({@code after}) that names no resource visible to the caller (a client error). Not an
 * IllegalArgumentException, which Spring Data would translate into a generic InvalidDataAccessApiUsageException.
 */
public class UnknownCursorException extends RuntimeException {

    private final Object cursor;

    public UnknownCursorException(Object cursor) {
        super("unknown pagination cursor 'after=" + cursor + "': no such resource");
        this.cursor = cursor;
    }

    public Object cursor() {
        return cursor;
    }
}
