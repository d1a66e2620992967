package dev.largo.service.security;

import java.util.List;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.largo.service.tenancy.ApiKeyTokens;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Recognises the administrator key (compared in constant time) and passes any other key on to the next
 * provider. Without a configured administrator key it recognises nothing.
 */
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
final class AdministratorKeyProvider implements AuthenticationProvider {

    private final ApiSecurityProperties properties;

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
