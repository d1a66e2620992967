package dev.largo.service.errors;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Builds the RFC 9457 bodies every error of the API is answered with. */
public final class ProblemResponses {

    /** Problem types of this API are URNs; {@code about:blank} stays for plain HTTP errors. */
    public static final String TYPE_PREFIX = "urn:largo:problem:";

    private ProblemResponses() {
    }

    public static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail,
            List<ProblemField> fields) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (slug != null) {
            problem.setType(URI.create(TYPE_PREFIX + slug));
        }
        if (title != null) {
            problem.setTitle(title);
        }
        if (fields != null && !fields.isEmpty()) {
            problem.setProperty("errors", List.copyOf(fields));
        }
        return problem;
    }

    public static ResponseEntity<ProblemDetail> entity(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
