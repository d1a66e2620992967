package dev.largo.service.security;

import org.springframework.test.context.TestPropertySource;

/** The security matrix of a deployment: a request without a key acts for nobody. */
@TestPropertySource(properties = {"largo.security.mode=api-keys", "largo.limits.max-queued-jobs-per-tenant=2"})
class ApiKeysModeSecurityMatrixTest extends SecurityMatrix {

    @Override
    protected boolean noKeyActsForATenant() {
        return false;
    }
}
