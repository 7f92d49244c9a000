package io.moxing.console;

/**
 * A signed-in console session as the server keeps it. The id is the cookie's secret and is kept only there (the
 * store indexes a hash of it); the CSRF token is a second secret that pages embed in their forms.
 *
 * @param tenantId     the tenant of a tenant's session; null for the operator
 * @param credentialId the public id of the admin token or API key signed in with, re-checked on every request
 * @param who          the name the header shows
 */
record Session(String id, String csrf, Role role, String tenantId, String credentialId, String who, long expiresAtMs) {
    @Override
    public String toString() {
        return "Session[" + role + " " + (tenantId == null ? "" : tenantId + " ") + credentialId + "]";
    }
}
