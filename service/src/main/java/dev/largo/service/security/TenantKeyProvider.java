package dev.largo.service.security;

import java.util.List;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.largo.service.tenancy.ApiKeyLookup;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/** Authenticates a tenant's API key by its hash: the key's tenant, or 401 for an unknown or revoked key. */
@RequiredArgsConstructor(access = AccessLevel.PACKAGE)
final class TenantKeyProvider implements AuthenticationProvider {

    private final ApiKeyLookup keys;

    @Override
    public Authentication authenticate(Authentication presented) {
        Optional<ApiKeyLookup.KeyOwner> owner = keys.find(((PresentedApiKey) presented).getCredentials());
        if (owner.isEmpty()) {
            throw InvalidApiKeyException.invalidToken("unknown API key");
        }
        if (owner.get().revoked()) {
            throw InvalidApiKeyException.invalidToken("the API key has been revoked");
        }
        return UsernamePasswordAuthenticationToken.authenticated(new ActingTenant(owner.get().tenantId()), null,
                List.of(new SimpleGrantedAuthority(Roles.authority(Roles.TENANT))));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedApiKey.class.isAssignableFrom(authentication);
    }
}
