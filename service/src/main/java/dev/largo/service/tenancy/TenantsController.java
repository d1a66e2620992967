package dev.largo.service.tenancy;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.largo.api.model.ApiKey;
import dev.largo.api.model.ApiKeyList;
import dev.largo.api.model.CreateApiKeyRequest;
import dev.largo.api.model.CreateTenantRequest;
import dev.largo.api.model.CreatedApiKey;
import dev.largo.api.model.Tenant;
import dev.largo.api.model.TenantList;
import dev.largo.api.server.TenantsApi;
import lombok.RequiredArgsConstructor;

/** {@code /v1/tenants}: administration, for the administrator key only (route rule and method security). */
@RestController
@RequiredArgsConstructor
public class TenantsController implements TenantsApi {

    private final TenantAdministration administration;

    @Override
    public ResponseEntity<Tenant> createTenant(CreateTenantRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(administration.createTenant(request.getName()));
    }

    @Override
    public ResponseEntity<TenantList> listTenants(String after, Integer limit) {
        return ResponseEntity.ok(administration.listTenants(after, limit));
    }

    @Override
    public ResponseEntity<CreatedApiKey> createApiKey(String tenantId, CreateApiKeyRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(administration.createKey(tenantId, request.getName()));
    }

    @Override
    public ResponseEntity<ApiKeyList> listApiKeys(String tenantId) {
        return ResponseEntity.ok(administration.listKeys(tenantId));
    }

    @Override
    public ResponseEntity<ApiKey> revokeApiKey(String tenantId, UUID keyId) {
        return ResponseEntity.ok(administration.revokeKey(tenantId, keyId));
    }
}
