package dev.largo.service.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import lombok.RequiredArgsConstructor;
import lombok.AccessLevel;

/**
 * Sends real HTTP requests to the running service and checks every exchange against the contract
 * ({@code openapi.yaml}) with swagger-request-validator: the request (unless a test sends a bad one on
 * purpose) and always the response, its status, content type, headers and body. Any difference fails the
 * test, so spec and code cannot drift.
 */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class ContractClient {

    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(contract())
            .build();
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/problem+json");

    /** Operations (method + path template) of every exchange in this JVM, for coverage checks. */
    private static final Set<String> EXERCISED = ConcurrentHashMap.newKeySet();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final boolean validateRequests;
    private final String bearer;

    public ContractClient(int port) {
        this("http://127.0.0.1:" + port, true, null);
    }

    /** A client for requests that break the contract on purpose: only the responses are checked. */
    public ContractClient sendingInvalidRequests() {
        return new ContractClient(base, false, bearer);
    }

    /** A client that sends {@code Authorization: Bearer <token>} with every request (an API or admin key). */
    public ContractClient withBearer(String token) {
        return new ContractClient(base, validateRequests, token);
    }

    public static String contract() {
        try (InputStream in = ContractClient.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Set<String> exercised() {
        return Set.copyOf(EXERCISED);
    }

    public Exchange get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null, Map.of());
    }

    public Exchange delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, null, null, Map.of());
    }

    public Exchange postJson(String pathAndQuery, String json) {
        return postJson(pathAndQuery, json, Map.of());
    }

    public Exchange postJson(String pathAndQuery, String json, Map<String, String> headers) {
        return send("POST", pathAndQuery, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    public Exchange post(String pathAndQuery, byte[] body, String contentType, Map<String, String> headers) {
        return send("POST", pathAndQuery, body, contentType, headers);
    }

    public Exchange post(String pathAndQuery, Multipart form, Map<String, String> headers) {
        return send("POST", pathAndQuery, form.bytes(), form.contentType(), headers);
    }

    public Exchange send(String method, String pathAndQuery, byte[] body, String contentType, Map<String, String> given) {
        Map<String, String> headers = given;
        if (bearer != null && !given.containsKey("Authorization")) {
            headers = new LinkedHashMap<>(given);
            headers.put("Authorization", "Bearer " + bearer);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Exchange exchange = new Exchange(method, pathAndQuery, response.statusCode(), response.headers(), response.body());
        validate(method, pathAndQuery, body, contentType, headers, exchange);
        return exchange;
    }

    private void validate(String method, String pathAndQuery, byte[] body, String contentType,
            Map<String, String> headers, Exchange exchange) {
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        SimpleResponse.Builder response = SimpleResponse.Builder.status(exchange.status());
        exchange.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        String responseType = exchange.contentType();
        if (responseType != null && JSON_TYPES.contains(mediaType(responseType))) {
            response.withBody(exchange.text());
        } else if (exchange.body().length > 0) {
            response.withBody(exchange.body());
        }
        ValidationReport report;
        Request.Method verb = Request.Method.valueOf(method);
        if (validateRequests) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
            query(pathAndQuery).forEach(request::withQueryParam);
            headers.forEach((name, value) -> request.withHeader(name, value));
            if (contentType != null) {
                request.withContentType(contentType);
                if (JSON_TYPES.contains(mediaType(contentType))) {
                    request.withBody(new String(body, StandardCharsets.UTF_8));
                } else if (body != null && body.length > 0) {
                    // binary and multipart bodies: the contract types them as binary, there is nothing to parse
                    request.withBody(new byte[] {1});
                }
            }
            report = VALIDATOR.validate(request.build(), response.build());
        } else {
            report = VALIDATOR.validateResponse(path, verb, response.build());
        }
        if (report.hasErrors()) {
            fail("exchange does not conform to openapi.yaml:\n" + exchange + "\n" + report.getMessages());
        }
        EXERCISED.add(method + " " + operationPath(path));
    }

    /** The path template of the contract that {@code path} matches, e.g. /v1/datasets/{dataset_id}. */
    private static String operationPath(String path) {
        for (String template : TemplatePaths.ALL) {
            if (path.matches(template.replaceAll("\\{[^}]+}", "[^/]+"))) {
                return template;
            }
        }
        return path;
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
    }

    private static Map<String, List<String>> query(String pathAndQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        int q = pathAndQuery.indexOf('?');
        if (q < 0) {
            return params;
        }
        for (String pair : pathAndQuery.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    /** The contract's path templates, most specific (longest) first. */
    static final class TemplatePaths {
        static final List<String> ALL;

        static {
            List<String> paths = new ArrayList<>();
            for (String line : contract().split("\n")) {
                if (line.startsWith("  /")) {
                    paths.add(line.trim().replace(":", ""));
                }
            }
            paths.sort((a, b) -> Integer.compare(b.length(), a.length()));
            ALL = List.copyOf(paths);
        }

        private TemplatePaths() {
        }
    }
}
