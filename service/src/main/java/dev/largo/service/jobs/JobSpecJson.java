package dev.largo.service.jobs;

import org.springframework.stereotype.Component;

import tools.jackson.databind.ObjectMapper;

import dev.largo.api.model.ContinueFineTuningJobRequest;
import dev.largo.api.model.CreateFineTuningJobRequest;
import lombok.RequiredArgsConstructor;

/**
 * The {@code jobs.spec} column: the create request with every default filled in, as the contract's JSON
 * (snake_case). The worker reads the job's configuration from it.
 */
@Component
@RequiredArgsConstructor
public class JobSpecJson {

    private final ObjectMapper json;

    public String write(CreateFineTuningJobRequest spec) {
        return json.writeValueAsString(spec);
    }

    /** A continue request as the same JSON, for its idempotency fingerprint. */
    public String write(ContinueFineTuningJobRequest request) {
        return json.writeValueAsString(request);
    }

    public CreateFineTuningJobRequest read(String spec) {
        return json.readValue(spec, CreateFineTuningJobRequest.class);
    }
}
