package dev.largo.service.security;

import org.springframework.security.authentication.BadCredentialsException;

/**
 * A presented key that opens nothing, with the RFC 6750 error code the {@code WWW-Authenticate} challenge
 * carries: {@code invalid_request} for a malformed header, {@code invalid_token} for an unknown or revoked key.
 */
final class InvalidApiKeyException extends BadCredentialsException {

    private final String error;

    private InvalidApiKeyException(String error, String detail) {
        super(detail);
        this.error = error;
    }

    static InvalidApiKeyException malformedHeader() {
        return new InvalidApiKeyException("invalid_request", "the Authorization header must be 'Bearer <API key>'");
    }

    static InvalidApiKeyException invalidToken(String detail) {
        return new InvalidApiKeyException("invalid_token", detail);
    }

    String error() {
        return error;
    }
}
