package dev.largo.service.idempotency;

import tools.jackson.databind.json.JsonMapper;
import java.util.List;
import dev.largo.service.errors.ProblemField;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.largo.db.idempotency.IdempotencyKeyId;
import dev.largo.db.idempotency.IdempotencyRecord;
import dev.largo.db.idempotency.IdempotencyRecordRepository;
import dev.largo.service.errors.ApiProblem;
import dev.largo.service.tenancy.CurrentTenant;
import lombok.RequiredArgsConstructor;

/**
 * Runs the work of a POST at most once per {@code Idempotency-Key}.
 *
 * <p>The work and the key's record commit in one transaction; the first response's body is then stored with the
 * key. A repeat with the same key and the same request answers with that first response (status and body, as
 * Stripe and the IETF Idempotency-Key draft do), creating nothing; the resource as it is now is read only for a
 * key whose body is not stored (recorded before it was kept, or a repeat in the moment between the first
 * request's commit and its body's write). Two identical requests racing: the second one's insert of the key waits for the first
 * transaction and then finds the key taken, so its own work is rolled back and it answers as a repeat. The
 * same key with a different request (another fingerprint) is refused with 422.
 */
@Component
@RequiredArgsConstructor
public class IdempotentPosts {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IdempotentPosts.class);

    private final IdempotencyRecordRepository records;
    private final TransactionTemplate transactions;
    private final CurrentTenant tenant;
    private final JsonMapper json;

    /**
     * @param key         the client's Idempotency-Key, or null to just run the work once
     * @param fingerprint {@link RequestFingerprint} of the request
     * @param resourceType what {@code work} creates or acts on, e.g. {@code dataset}
     * @param status      the status of a fresh answer
     * @param work        does the work inside the transaction and returns the resource id
     * @param load        reads the resource by id (after the commit) for the answer
     * @param type        the answer's class, to read a stored first response back
     */
    public <T> Created<T> run(String key, String fingerprint, String resourceType, HttpStatus status,
            Supplier<String> work, Function<String, T> load, Class<T> type) {
        if (key == null) {
            String id = transactions.execute(tx -> work.get());
            return new Created<>(load.apply(id), status, false);
        }
        Optional<Created<T>> replay = replay(key, fingerprint, resourceType, load, type);
        if (replay.isPresent()) {
            return replay.get();
        }
        try {
            String id = transactions.execute(tx -> {
                String created = work.get();
                int inserted = records.insertIfAbsent(tenant.id(), key, fingerprint, resourceType, created, status.value());
                if (inserted == 0) {
                    throw new KeyTakenMeanwhile();
                }
                return created;
            });
            T body = load.apply(id);
            try {
                records.recordResponseBody(tenant.id(), key, json.writeValueAsString(body));
            } catch (RuntimeException e) {
                // the work is committed: answer it; a repeat then reads the resource as it is (the older behaviour)
                LOG.warn("idempotency key '{}': the first response could not be stored: {}", key, e.toString());
            }
            return new Created<>(body, status, false);
        } catch (KeyTakenMeanwhile e) {
            return replay(key, fingerprint, resourceType, load, type)
                    .orElseThrow(() -> new IllegalStateException("idempotency key '" + key + "' vanished"));
        }
    }

    /** Replays before doing any expensive work (the caller may also check first, e.g. before inspecting an upload). */
    public <T> Optional<Created<T>> replay(String key, String fingerprint, String resourceType, Function<String, T> load,
            Class<T> type) {
        if (key == null) {
            return Optional.empty();
        }
        Optional<IdempotencyRecord> found = records.findById(new IdempotencyKeyId(tenant.id(), key));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        IdempotencyRecord record = found.get();
        if (!record.getRequestHash().equals(fingerprint) || !record.getResourceType().equals(resourceType)) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency-Key reused",
                    "the Idempotency-Key '" + key + "' was already used for a different request",
                    List.of(ProblemField.param("Idempotency-Key",
                            "already used for a different request")));
        }
        T body = record.getResponseBody() != null ? json.readValue(record.getResponseBody(), type)
                : load.apply(record.getResourceId());
        return Optional.of(new Created<>(body, HttpStatus.valueOf(record.getResponseStatus()), true));
    }

    /** Rolls the transaction back when a concurrent request with the same key committed first. */
    private static final class KeyTakenMeanwhile extends RuntimeException {
        KeyTakenMeanwhile() {
            super(null, null, false, false);
        }
    }
}
