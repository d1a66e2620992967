package dev.largo.service.idempotency;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a POST: the resource, its status, and whether it replays an earlier request with the same
 * {@code Idempotency-Key} (then the response says so in {@code Idempotent-Replayed: true}).
 */
public record Created<T>(T body, HttpStatus status, boolean replayed) {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public ResponseEntity<T> toResponse() {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (replayed) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.body(body);
    }
}
