package dev.largo.service.security;

/** The security matrix of the default mode: a request without a key acts for the local tenant. */
class LocalModeSecurityMatrixTest extends SecurityMatrix {

    @Override
    protected boolean noKeyActsForATenant() {
        return true;
    }
}
