package dev.largo.service.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads {@code Authorization: Bearer <key>}. No header means no credentials (the anonymous rules decide); a
 * header in any other shape is refused, never read as "no key" (which the local mode would let through).
 */
final class BearerKeyConverter implements AuthenticationConverter {

    private static final String BEARER = "Bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return null;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length()) || header.substring(BEARER.length()).isBlank()) {
            throw InvalidApiKeyException.malformedHeader();
        }
        return new PresentedApiKey(header.substring(BEARER.length()).strip());
    }
}
