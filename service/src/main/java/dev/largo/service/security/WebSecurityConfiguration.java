package dev.largo.service.security;

import java.util.List;

import jakarta.servlet.DispatcherType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import dev.largo.db.support.Tenants;
import dev.largo.service.tenancy.ApiKeyLookup;

/**
 * Who may call what, on Spring Security:
 * <ul>
 * <li>its {@code StrictHttpFirewall} refuses paths that could be read two ways ({@link RejectedRequestProblem});</li>
 * <li>a bearer API key is authenticated by {@link AdministratorKeyProvider} or {@link TenantKeyProvider};
 * without a key the local mode acts for the {@code local} tenant, the api-keys mode for nobody;</li>
 * <li>authorization is decided on the route as MVC matches it ({@link ApiRoutes}): administration needs the
 * administrator key, the rest of the API a tenant; {@code TenantAdministration} checks the administrator role
 * again itself (method security), so a route rule that missed cannot reach it;</li>
 * <li>every response carries the browser headers: a Content-Security-Policy without inline script or style,
 * {@code nosniff}, {@code frame-ancestors 'none'}, {@code X-Frame-Options: DENY}, no referrer;</li>
 * <li>no sessions, cookies or CSRF tokens (a key comes with every request); CORS only for configured origins.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class WebSecurityConfiguration {

    /**
     * The dashboard loads scripts and styles from the service only and sets styles through the CSSOM (allowed),
     * never inline; images may be data: URLs (the favicon).
     */
    static final String CONTENT_SECURITY_POLICY = policy("style-src 'self'");
    /** Swagger UI ({@code /docs}) injects a style element of its own: inline styles there, inline script nowhere. */
    static final String DOCS_CONTENT_SECURITY_POLICY = policy("style-src 'self' 'unsafe-inline'");

    private static String policy(String styles) {
        return "default-src 'self'; script-src 'self'; " + styles + "; img-src 'self' data:; font-src 'self';"
                + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

    /** The one AuthenticationManager (also keeps Spring Boot from creating a default user with a password). */
    @Bean
    AuthenticationManager apiKeyAuthentication(ApiSecurityProperties properties, ApiKeyLookup keys) {
        return new ProviderManager(new AdministratorKeyProvider(properties), new TenantKeyProvider(keys));
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiSecurityProperties properties, CorsProperties cors,
            AuthenticationManager authentication, ProblemWriter problems) throws Exception {
        SecurityRefusals refusals = new SecurityRefusals(properties, problems);
        AuthenticationFilter bearerKeys = new AuthenticationFilter(authentication, new BearerKeyConverter());
        bearerKeys.setSuccessHandler((request, response, result) -> {
            // continue the chain: an API call is not a login that redirects somewhere
        });
        bearerKeys.setFailureHandler(new AuthenticationEntryPointFailureHandler(refusals));

        http.csrf(csrf -> csrf.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(bearerKeys, BasicAuthenticationFilter.class)
                .addFilterAfter(new TenantLogContext(), AuthorizationFilter.class)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(refusals)
                        .accessDeniedHandler(refusals))
                .authorizeHttpRequests(routes -> routes
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(ApiRoutes.ADMINISTRATION).hasRole(Roles.ADMIN)
                        .requestMatchers(ApiRoutes.API).hasRole(Roles.TENANT)
                        .requestMatchers(ApiRoutes.PUBLIC).permitAll()
                        .anyRequest().hasRole(Roles.TENANT))
                .headers(headers -> headers
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(ApiRoutes.DOCS,
                                new ContentSecurityPolicyHeaderWriter(DOCS_CONTENT_SECURITY_POLICY)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(ApiRoutes.DOCS),
                                new ContentSecurityPolicyHeaderWriter(CONTENT_SECURITY_POLICY)))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .frameOptions(frames -> frames.deny()));
        if (properties.mode() == SecurityMode.LOCAL) {
            // no key: the single local tenant, with a tenant's rights only (never administration)
            http.anonymous(anonymous -> anonymous.principal(new ActingTenant(Tenants.LOCAL))
                    .authorities(Roles.authority(Roles.TENANT)));
        }
        if (cors.enabled()) {
            http.cors(c -> c.configurationSource(corsSource(cors)));
        } else {
            http.cors(c -> c.disable());
        }
        return http.build();
    }

    static UrlBasedCorsConfigurationSource corsSource(CorsProperties cors) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "POST", "DELETE"));
        configuration.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Idempotency-Key"));
        configuration.setExposedHeaders(List.of(HttpHeaders.LOCATION, "Idempotent-Replayed"));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(ApiRoutes.API, configuration);
        return source;
    }

    @Bean
    ApplicationRunner securityModeReport(ApiSecurityProperties properties, CorsProperties cors) {
        return args -> {
            if (properties.mode() == SecurityMode.LOCAL) {
                log.info("security mode local: requests without an API key act for the single tenant '{}'"
                        + " (set largo.security.mode=api-keys to require keys)", Tenants.LOCAL);
            } else {
                log.info("security mode api-keys: every API request needs a tenant's API key");
            }
            log.info("tenant administration (/v1/tenants) is {}", properties.adminEnabled() ? "enabled"
                    : "disabled: no administrator key (largo.security.admin-key)");
            log.info("CORS is {}", cors.enabled() ? "open to " + cors.allowedOrigins()
                    : "off (largo.security.cors.allowed-origins)");
        };
    }
}
