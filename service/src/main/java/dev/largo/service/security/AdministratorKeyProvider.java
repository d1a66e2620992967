package dev.largo.service.security;

import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.largo.service.tenancy.ApiKeyTokens;

/**
 * Recognises the administrator key (compared in constant time) and passes any other key on to the next
 * provider. Without a configured administrator key it recognises nothing.
 */
final class AdministratorKeyProvider implements AuthenticationProvider {

    private final ApiSecurityProperties properties;

    AdministratorKeyProvider(ApiSecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public Authentication authenticate(Authentication presented) {
        String token = ((PresentedApiKey) presented).getCredentials();
        if (!properties.adminEnabled() || !ApiKeyTokens.sameSecret(token, properties.adminKey())) {
            return null;
        }
        return UsernamePasswordAuthenticationToken.authenticated(Administrator.KEY_HOLDER, null,
                List.of(new SimpleGrantedAuthority(Roles.authority(Roles.ADMIN))));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedApiKey.class.isAssignableFrom(authentication);
    }
}
