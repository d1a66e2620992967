package dev.largo.service.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

import dev.largo.service.tenancy.ApiKeyTokens;

/**
 * A bearer token as it arrived, not yet checked. Its principal is the token's shown prefix (what key lists
 * show), so nothing that prints an authentication ever prints the secret.
 */
final class PresentedApiKey extends AbstractAuthenticationToken {

    private final String token;

    PresentedApiKey(String token) {
        super(List.of());
        this.token = token;
        setAuthenticated(false);
    }

    @Override
    public String getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return ApiKeyTokens.shownPrefix(token);
    }
}
