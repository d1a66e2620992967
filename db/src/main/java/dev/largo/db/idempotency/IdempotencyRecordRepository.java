package dev.largo.db.idempotency;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface IdempotencyRecordRepository extends JpaRepository<IdempotencyRecord, IdempotencyKeyId> {

    /**
     * Records the outcome of a request unless the key is already taken (by a concurrent or earlier request).
     * Call it in the transaction that creates the resource: if it returns 0 another request won the key, so
     * roll back and answer from {@link #findById} instead.
     *
     * @return 1 if recorded, 0 if the key already existed
     */
    @Modifying
    @Transactional
    @Query(value = "insert into idempotency_keys (tenant_id, key, request_hash, resource_type, resource_id, response_status)"
            + " values (:tenantId, :key, :requestHash, :resourceType, :resourceId, :responseStatus)"
            + " on conflict (tenant_id, key) do nothing", nativeQuery = true)
    int insertIfAbsent(String tenantId, String key, String requestHash, String resourceType, String resourceId,
            int responseStatus);

    /** Stores the first response's body, which a repeat with the key answers with. */
    @Modifying
    @Transactional
    @Query(value = "update idempotency_keys set response_body = :body where tenant_id = :tenantId and key = :key"
            + " and response_body is null", nativeQuery = true)
    int recordResponseBody(String tenantId, String key, String body);

    @Modifying
    @Transactional
    @Query(value = "delete from idempotency_keys where created_at < now() - make_interval(secs => :ageSeconds)",
            nativeQuery = true)
    int deleteOlderThan(double ageSeconds);
}
