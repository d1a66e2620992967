package dev.largo.service.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.stereotype.Component;
import lombok.RequiredArgsConstructor;

/**
 * Answers what Spring Security's {@code StrictHttpFirewall} refuses ({@code ;}, an encoded {@code /} or
 * {@code %}, {@code //}, dot segments, ...) with a 400 problem: such a path could be read one way by the
 * authorization rules and another by the router, so it is not read at all. (The firewall runs before every
 * other filter of the chain, for every request.)
 */
@Component
@RequiredArgsConstructor
public class RejectedRequestProblem implements RequestRejectedHandler {

    private final ProblemWriter problems;

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        problems.write(request, response, HttpStatus.BAD_REQUEST, "rejected-url", "Bad request",
                "the request URL is refused: " + rejected.getMessage()
                        + "; send the path in its plain form (no ';', '//', '.' or '..' segments, encoded '/' or '%')");
    }
}
