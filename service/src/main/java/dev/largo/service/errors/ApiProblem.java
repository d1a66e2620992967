package dev.largo.service.errors;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * A request the service refuses for a reason it can name. The exception handler turns it into an
 * RFC 9457 problem: {@code type} from {@link #slug}, {@code title}, {@code status}, {@code detail} from the
 * message and {@code errors} from {@link #fields}.
 */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final List<ProblemField> fields;

    public ApiProblem(HttpStatus status, String slug, String title, String detail, List<ProblemField> fields) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.fields = List.copyOf(fields);
    }

    public static ApiProblem notFound(String resource, Object id) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "no " + resource + " with id '" + id + "'", List.of());
    }

    /** The caller is known but may not do this (a shared built-in, an admin operation). */
    public static ApiProblem forbidden(String slug, String detail) {
        return new ApiProblem(HttpStatus.FORBIDDEN, slug, "Forbidden", detail, List.of());
    }

    public static ApiProblem conflict(String slug, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, slug, "Conflict", detail, List.of());
    }

    /** A parameter of a well-formed request that cannot be honoured (unknown reference, incompatible values). */
    public static ApiProblem invalidParam(String param, String message) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-request", "Invalid request",
                param + ": " + message, List.of(ProblemField.param(param, message)));
    }

    /** A request parameter that is missing or malformed (400). */
    public static ApiProblem badParam(String param, String message) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request",
                param + ": " + message, List.of(ProblemField.param(param, message)));
    }

    /** An uploaded file that fails validation, naming the place inside it. */
    public static ApiProblem invalidFile(String slug, String title, String location, String message) {
        String detail = location == null ? message : location + ": " + message;
        return new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, slug, title, detail,
                List.of(location == null ? new ProblemField(null, null, message) : ProblemField.location(location, message)));
    }

    public static ApiProblem payloadTooLarge(long limitBytes) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                "the upload exceeds the limit of " + limitBytes + " bytes (largo.uploads.max-size)", List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public List<ProblemField> fields() {
        return fields;
    }
}
