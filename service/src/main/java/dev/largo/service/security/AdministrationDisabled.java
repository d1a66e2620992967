package dev.largo.service.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;

/** The answer to every administration request when no administrator key is configured. */
final class AdministrationDisabled {

    private AdministrationDisabled() {
    }

    static void write(ProblemWriter problems, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        problems.write(request, response, HttpStatus.NOT_FOUND, "not-found", "Not found", "tenant administration is"
                + " disabled: no administrator key is configured (largo.security.admin-key)");
    }
}
