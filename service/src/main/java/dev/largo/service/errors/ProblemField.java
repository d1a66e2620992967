package dev.largo.service.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One entry of a problem's {@code errors}: what is wrong ({@code message}) and where, either a request
 * parameter / JSON path ({@code param}) or a place inside an uploaded file ({@code location}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemField(String param, String location, String message) {

    public static ProblemField param(String param, String message) {
        return new ProblemField(param, null, message);
    }

    public static ProblemField location(String location, String message) {
        return new ProblemField(null, location, message);
    }
}
