package dev.largo.service.security;

/** The principal of a request made with the administrator key: it manages tenants and acts for none. */
public enum Administrator {
    KEY_HOLDER;

    /** What the logging MDC says for its requests. */
    public static final String LOG_NAME = "admin";
}
