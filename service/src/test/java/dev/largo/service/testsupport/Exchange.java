package dev.largo.service.testsupport;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One request and its response, already checked against the contract by {@link ContractClient}. */
public record Exchange(String method, String uri, int status, HttpHeaders headers, byte[] body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public JsonNode json() {
        return JSON.readTree(body);
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String contentType() {
        return headers.firstValue("Content-Type").orElse(null);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return method + " " + uri + " -> " + status + " " + contentType() + "\n" + (body.length < 4000 ? text() : body.length + " bytes");
    }
}
