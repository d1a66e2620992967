package dev.largo.service.errors;

import java.util.Arrays;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

import dev.largo.db.support.UnknownCursorException;

/**
 * Answers every error as an RFC 9457 problem ({@code application/problem+json}) that says what is wrong
 * and, in {@code errors}, names each offending parameter or JSON path in the client's own (snake_case)
 * spelling, or the place inside an uploaded file.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e, HttpServletRequest request) {
        return respond(ProblemResponses.problem(e.status(), e.slug(), e.title(), e.getMessage(), e.fields()), request);
    }

    @ExceptionHandler(UnknownCursorException.class)
    ResponseEntity<ProblemDetail> unknownCursor(UnknownCursorException e, HttpServletRequest request) {
        return apiProblem(ApiProblem.badParam("after", "no such item to page after: '" + e.cursor() + "'"), request);
    }

    /** Parameter constraints checked by the {@code @Validated} proxy of a controller. */
    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e, HttpServletRequest request) {
        List<ProblemField> fields = e.getConstraintViolations().stream()
                .map(v -> ProblemField.param(parameterName(v), v.getMessage()))
                .sorted((a, b) -> a.param().compareTo(b.param()))
                .toList();
        return respond(validationProblem(HttpStatus.BAD_REQUEST, fields), request);
    }

    /**
     * Method security refused a call the route rules let through (the second check of tenant administration):
     * forbidden, as the route rule would have answered.
     */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> accessDenied(AccessDeniedException e, HttpServletRequest request) {
        log.warn("method security refused {} {} that the route rules let through", request.getMethod(),
                request.getRequestURI());
        return respond(ProblemResponses.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "this operation needs the administrator key", List.of()), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unhandled error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return respond(ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the service failed to process the request; the log has the details", List.of()), request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ProblemField> fields = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            fields.add(ProblemField.param(JsonNames.snakeCase(error.getField()), error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors()
                .forEach(error -> fields.add(new ProblemField(null, null, error.getDefaultMessage())));
        return respondObject(validationProblem(HttpStatus.BAD_REQUEST, fields), request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ProblemField> fields = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            String name = requestName(result.getMethodParameter().getParameterName());
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                fields.add(ProblemField.param(name, error.getDefaultMessage()));
            }
        });
        return respondObject(validationProblem(HttpStatus.BAD_REQUEST, fields), request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        String expected = e.getRequiredType() == null ? "another type" : describeType(e.getRequiredType());
        return respondObject(validationProblem(HttpStatus.BAD_REQUEST,
                List.of(ProblemField.param(name, "'" + e.getValue() + "' is not a valid " + expected))), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respondObject(validationProblem(HttpStatus.BAD_REQUEST,
                List.of(ProblemField.param(e.getParameterName(), "is required"))), request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respondObject(validationProblem(HttpStatus.BAD_REQUEST,
                List.of(ProblemField.param(e.getRequestPartName(), "the multipart request has no part '"
                        + e.getRequestPartName() + "'"))), request);
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respondObject(ProblemResponses.problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request",
                e.getMessage(), List.of()), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return respondObject(unreadableBody(e), request);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String limit = e.getMaxUploadSize() > 0 ? " of " + e.getMaxUploadSize() + " bytes" : "";
        return respondObject(ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                "Payload too large", "the upload exceeds the limit" + limit + " (largo.uploads.max-size, which sets"
                        + " spring.servlet.multipart.max-file-size and max-request-size)", List.of()), request);
    }

    /**
     * Every problem Spring builds itself (404, 405, 415, ...) ends here with its final body: give it a type
     * (Jackson leaves {@code about:blank} out, and every problem of this API names its type) and its instance.
     */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
                problem.setType(URI.create(ProblemResponses.TYPE_PREFIX + slugOf(status)));
            }
            if (request instanceof ServletWebRequest servlet) {
                problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
            }
            HttpHeaders out = new HttpHeaders();
            if (headers != null) {
                out.putAll(headers);
            }
            out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return ResponseEntity.status(status).headers(out).body(problem);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static String slugOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http-" + status.value() : known.name().toLowerCase().replace('_', '-');
    }

    private static ProblemDetail unreadableBody(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        JacksonException jackson = findJacksonException(e);
        if (jackson == null) {
            return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                    "the request body could not be read: " + cause.getMessage(), List.of());
        }
        String path = jsonPath(jackson.getPath());
        String message;
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            path = jsonPath(unknown.getPath());
            message = "unknown property";
        } else if (jackson instanceof MismatchedInputException mismatch && QuotedScalars.describe(mismatch) != null) {
            // StrictJsonScalars refuses "3" for a number: say so in the contract's terms, not Jackson's
            message = QuotedScalars.describe(mismatch);
        } else if (jackson instanceof InvalidFormatException invalid) {
            message = "'" + invalid.getValue() + "' is not a valid " + describeType(invalid.getTargetType());
        } else if (jackson instanceof ValueInstantiationException && jackson.getCause() != null) {
            message = jackson.getCause().getMessage();
        } else {
            message = jackson.getOriginalMessage();
        }
        if (path.isEmpty()) {
            return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                    "the request body is not valid JSON for this operation: " + message, List.of());
        }
        return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body",
                path + ": " + message, List.of(ProblemField.param(path, message)));
    }

    private static JacksonException findJacksonException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException j) {
                return j;
            }
        }
        return null;
    }

    private static String jsonPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describeType(Class<?> type) {
        if (type.isEnum()) {
            return "value; expected one of " + Arrays.stream(type.getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
        }
        return switch (type.getSimpleName()) {
            case "UUID" -> "UUID";
            case "Integer", "int", "Long", "long" -> "integer";
            case "Double", "double", "Float", "float", "BigDecimal" -> "number";
            case "Boolean", "boolean" -> "boolean";
            default -> type.getSimpleName();
        };
    }

    private static ProblemDetail validationProblem(HttpStatus status, List<ProblemField> fields) {
        String detail = fields.stream()
                .map(f -> f.param() == null ? f.message() : f.param() + ": " + f.message())
                .collect(Collectors.joining("; "));
        return ProblemResponses.problem(status, "invalid-request", "Invalid request", detail, fields);
    }

    /** The last node of a violation's path is the Java parameter name; clients know it by its wire name. */
    private static String parameterName(ConstraintViolation<?> violation) {
        String last = null;
        String beanPath = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == jakarta.validation.ElementKind.PARAMETER) {
                last = node.getName();
                beanPath = null;
            } else if (node.getKind() == jakarta.validation.ElementKind.PROPERTY) {
                beanPath = beanPath == null ? node.getName() : beanPath + "." + node.getName();
            }
        }
        if (beanPath != null) {
            return JsonNames.snakeCase(beanPath);
        }
        return requestName(last == null ? violation.getPropertyPath().toString() : last);
    }

    private static String requestName(String javaParameterName) {
        if ("idempotencyKey".equals(javaParameterName)) {
            return "Idempotency-Key";
        }
        return JsonNames.snakeCase(javaParameterName);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpServletRequest request) {
        problem.setInstance(URI.create(request.getRequestURI()));
        return ProblemResponses.entity(problem);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> respondObject(ProblemDetail problem, WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            problem.setInstance(URI.create(servlet.getRequest().getRequestURI()));
        }
        return (ResponseEntity) ProblemResponses.entity(problem);
    }
}
