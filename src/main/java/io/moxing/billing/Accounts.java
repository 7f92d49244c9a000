package io.moxing.billing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where tenants, plans, keys, model ownership and admin tokens are kept (the state database). */
public interface Accounts {
    /** Creates the tenant; false when the id is taken. */
    boolean createTenant(Tenant tenant);

    Optional<Tenant> tenant(String id);

    List<Tenant> tenants();

    /** Creates the plan; false when the name is taken (plans never change). */
    boolean createPlan(Plan plan);

    Optional<Plan> plan(String name);

    List<Plan> plans();

    void assignPlan(PlanAssignment assignment);

    /** The tenant's plan assignments, oldest first. */
    List<PlanAssignment> assignments(String tenantId);

    /** Every tenant's plan assignments, oldest first (one read for the in-memory snapshot). */
    List<PlanAssignment> assignments();

    void addKey(ApiKey key);

    /** Every key, revoked and expired ones included. */
    List<ApiKey> keys();

    /** One key by its id, revoked and expired ones included. */
    java.util.Optional<ApiKey> key(String id);

    /**
     * A marker that changes whenever a key is revoked by any process on this machine, cheap enough to read
     * per request (0 when this store has no such marker: then changes are seen at the next refresh).
     */
    long changeMarker();

    /** Marks the key revoked at {@code atMs}; false when there is no such live key. */
    boolean revokeKey(String keyId, long atMs);

    /** Makes the deployment private to the tenant, or public again when tenant is null. */
    void own(String deployment, String tenantId);

    /** Deployment name to owning tenant, for the private ones. */
    Map<String, String> owners();

    void addAdminToken(AdminToken token);

    List<AdminToken> adminTokens();

    Optional<String> setting(String name);

    void putSetting(String name, String value);
}
