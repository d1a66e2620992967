package dev.largo.service.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.largo.service.security.ActingTenant;
import dev.largo.service.security.Roles;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/** The second check: tenant administration itself refuses every caller but the administrator. */
class TenantAdministrationMethodSecurityTest extends ServiceIntegrationTest {

    @Autowired
    private TenantAdministration administration;

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void onlyTheAdministratorRoleGetsThrough() {
        long tenants = count("tenants");
        assertThatThrownBy(() -> administration.createTenant("nobody"))
                .isInstanceOf(AuthenticationCredentialsNotFoundException.class);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                new ActingTenant("local"), null, List.of(new SimpleGrantedAuthority(Roles.authority(Roles.TENANT)))));
        assertThatThrownBy(() -> administration.createTenant("tenant")).isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> administration.listTenants(null, 10)).isInstanceOf(AccessDeniedException.class);
        assertThat(count("tenants")).isEqualTo(tenants);

        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "admin", null, List.of(new SimpleGrantedAuthority(Roles.authority(Roles.ADMIN)))));
        assertThat(administration.createTenant("by the administrator").getName()).isEqualTo("by the administrator");
    }
}
