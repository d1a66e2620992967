package dev.largo.service.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts who a request acts for into the logging MDC under {@value #MDC_TENANT} (the tenant id, or
 * {@value Administrator#LOG_NAME}) for the length of the request, once authorization let it through.
 */
final class TenantLogContext extends OncePerRequestFilter {

    static final String MDC_TENANT = "tenant";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String actor = actor(SecurityContextHolder.getContext().getAuthentication());
        if (actor == null) {
            chain.doFilter(request, response);
            return;
        }
        MDC.put(MDC_TENANT, actor);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_TENANT);
        }
    }

    private static String actor(Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        if (authentication.getPrincipal() instanceof ActingTenant tenant) {
            return tenant.id();
        }
        return authentication.getPrincipal() == Administrator.KEY_HOLDER ? Administrator.LOG_NAME : null;
    }
}
