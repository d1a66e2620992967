package dev.largo.service.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import tools.jackson.databind.ObjectMapper;

import dev.largo.service.errors.ProblemResponses;
import lombok.RequiredArgsConstructor;

/**
 * Writes the problem+json of a request the security filters refuse before it reaches a controller (and so
 * before {@link dev.largo.service.errors.ApiExceptionHandler} could). Logs the refusal by method and path, never
 * a header: the Authorization header carries a secret.
 */
@Component
@RequiredArgsConstructor
public class ProblemWriter {

    private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

    private final ObjectMapper json;

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug, String title,
            String detail) throws IOException {
        write(request, response, status, slug, title, detail, null);
    }

    /** With a {@code WWW-Authenticate: Bearer} challenge carrying {@code error} when one is given (RFC 6750). */
    void unauthorized(HttpServletRequest request, HttpServletResponse response, String error, String detail)
            throws IOException {
        String challenge = "Bearer realm=\"largo\"" + (error == null ? "" : ", error=\"" + error + "\"");
        write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail, challenge);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String slug,
            String title, String detail, String challenge) throws IOException {
        log.info("refused {} {}: {} {}", request.getMethod(), request.getRequestURI(), status.value(), detail);
        if (response.isCommitted()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemResponses.TYPE_PREFIX + slug);
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", request.getRequestURI());
        response.resetBuffer();
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (challenge != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        json.writeValue(response.getOutputStream(), body);
    }
}
