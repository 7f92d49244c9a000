package io.moxing.store;

import io.moxing.billing.Accounts;
import io.moxing.billing.AdminToken;
import io.moxing.billing.ApiKey;
import io.moxing.billing.RateUnit;
import io.moxing.billing.Plan;
import io.moxing.billing.PlanAssignment;
import io.moxing.billing.Tenant;
import io.moxing.core.Json;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Tenants, plans, keys, ownership, admin tokens and settings in the state database. */
public final class SqlAccounts implements Accounts {
    private static final Sql.RowMapper<PlanAssignment> ASSIGNMENT = r -> new PlanAssignment(r.getString(1), r.getString(2),
            r.getLong(3));
    private final Database db;

    public SqlAccounts(Database db) {
        this.db = db;
    }

    @Override
    public boolean createTenant(Tenant t) {
        return insertIfAbsent("SELECT 1 FROM tenants WHERE id = ?", t.id(),
                "INSERT INTO tenants (id, display_name, created_at) VALUES (?, ?, ?)", t.id(), t.displayName(), t.createdAt());
    }

    @Override
    public Optional<Tenant> tenant(String id) {
        return tenants("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Tenant> tenants() {
        return tenants("", null);
    }

    private List<Tenant> tenants(String where, String id) {
        return Sql.query(db, "SELECT id, display_name, created_at FROM tenants " + where + " ORDER BY id",
                r -> new Tenant(r.getString(1), r.getString(2), r.getLong(3)), id == null ? new Object[0] : new Object[] {id});
    }

    @Override
    public boolean createPlan(Plan p) {
        return insertIfAbsent("SELECT 1 FROM plans WHERE name = ?", p.name(),
                "INSERT INTO plans (name, kind, currency, terms, created_at) VALUES (?, ?, ?, ?, ?)", p.name(), p.kind().name(),
                p.currency(), Json.line(p), System.currentTimeMillis());
    }

    @Override
    public Optional<Plan> plan(String name) {
        return Sql.query(db, "SELECT terms FROM plans WHERE name = ?", r -> Json.parse(r.getString(1), Plan.class), name)
                .stream().findFirst();
    }

    @Override
    public List<Plan> plans() {
        return Sql.query(db, "SELECT terms FROM plans ORDER BY name", r -> Json.parse(r.getString(1), Plan.class));
    }

    @Override
    public void assignPlan(PlanAssignment a) {
        Sql.update(db, "INSERT INTO plan_assignments (tenant_id, plan, effective_from) VALUES (?, ?, ?)", a.tenantId(), a.plan(),
                a.effectiveFrom());
    }

    @Override
    public List<PlanAssignment> assignments(String tenantId) {
        return Sql.query(db, "SELECT tenant_id, plan, effective_from FROM plan_assignments WHERE tenant_id = ? ORDER BY effective_from",
                ASSIGNMENT, tenantId);
    }

    @Override
    public List<PlanAssignment> assignments() {
        return Sql.query(db, "SELECT tenant_id, plan, effective_from FROM plan_assignments ORDER BY tenant_id, effective_from",
                ASSIGNMENT);
    }

    @Override
    public void addKey(ApiKey k) {
        Sql.update(db, "INSERT INTO api_keys (id, tenant_id, name, salt, hash, models, rate_per_second, burst, expires_at,"
                        + " revoked_at, created_at, rate_unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", k.id(), k.tenantId(),
                k.name(), k.salt(), k.hash(), k.models().isEmpty() ? null : String.join(",", new java.util.TreeSet<>(k.models())),
                k.ratePerSecond(), k.burst(), k.expiresAt(), k.revokedAt(), k.createdAt(), k.rateUnit().name());
    }

    private static final String KEY_COLUMNS = "SELECT id, tenant_id, name, salt, hash, models, rate_per_second, burst,"
            + " expires_at, revoked_at, created_at, rate_unit FROM api_keys";

    @Override
    public List<ApiKey> keys() {
        return Sql.query(db, KEY_COLUMNS + " ORDER BY tenant_id, created_at", SqlAccounts::key);
    }

    @Override
    public java.util.Optional<ApiKey> key(String id) {
        return Sql.query(db, KEY_COLUMNS + " WHERE id = ?", SqlAccounts::key, id).stream().findFirst();
    }

    private static ApiKey key(java.sql.ResultSet r) throws java.sql.SQLException {
        return new ApiKey(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                models(r.getString(6)), Sql.nullableDouble(r, 7), Sql.nullableInt(r, 8), Sql.nullableLong(r, 9),
                Sql.nullableLong(r, 10), r.getLong(11), RateUnit.parse(r.getString(12)));
    }

    private static Set<String> models(String csv) {
        return csv == null ? Set.of() : Arrays.stream(csv.split(",")).collect(Collectors.toSet());
    }

    @Override
    public boolean revokeKey(String keyId, long atMs) {
        boolean revoked = Sql.update(db, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", atMs, keyId) > 0;
        if (revoked) touchChangeStamp();
        return revoked;
    }

    @Override
    public long changeMarker() {
        java.nio.file.Path stamp = db.changeStamp();
        if (stamp == null) return 0;
        try {
            var attributes = java.nio.file.Files.readAttributes(stamp, java.nio.file.attribute.BasicFileAttributes.class);
            // each touch replaces the file, so its identity changes; a freed inode can be reused at once, so the
            // time counts to the nanosecond (Linux file systems keep it) rather than the millisecond
            return 31L * java.util.Objects.hashCode(attributes.fileKey())
                    + attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** Replaces the stamp file, which changes its identity and time (what {@link #changeMarker} reads). */
    private void touchChangeStamp() {
        java.nio.file.Path stamp = db.changeStamp();
        if (stamp == null) return;
        try {
            java.nio.file.Path next = stamp.resolveSibling(stamp.getFileName() + ".tmp" + ProcessHandle.current().pid());
            java.nio.file.Files.writeString(next, Long.toString(System.nanoTime()));
            java.nio.file.Files.move(next, stamp, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            System.err.println("warning: " + stamp + " not written (" + e.getMessage() + "); a running server sees the"
                    + " revocation within a second");
        }
    }

    @Override
    public void own(String deployment, String tenantId) {
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM deployment_owners WHERE deployment = ?", deployment);
            if (tenantId != null) {
                Sql.update(c, "INSERT INTO deployment_owners (deployment, tenant_id) VALUES (?, ?)", deployment, tenantId);
            }
            return null;
        });
    }

    @Override
    public Map<String, String> owners() {
        return Sql.query(db, "SELECT deployment, tenant_id FROM deployment_owners", r -> Map.entry(r.getString(1), r.getString(2)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Override
    public void addAdminToken(AdminToken t) {
        db.transaction(c -> {
            Sql.update(c, "UPDATE admin_tokens SET revoked_at = ? WHERE revoked_at IS NULL", t.createdAt());
            Sql.update(c, "INSERT INTO admin_tokens (id, salt, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)", t.id(),
                    t.salt(), t.hash(), t.createdAt(), t.revokedAt());
            return null;
        });
    }

    @Override
    public List<AdminToken> adminTokens() {
        return Sql.query(db, "SELECT id, salt, hash, created_at, revoked_at FROM admin_tokens ORDER BY created_at",
                r -> new AdminToken(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), Sql.nullableLong(r, 5)));
    }

    @Override
    public Optional<String> setting(String name) {
        return Sql.query(db, "SELECT value FROM settings WHERE name = ?", r -> r.getString(1), name).stream().findFirst();
    }

    @Override
    public void putSetting(String name, String value) {
        db.transaction(c -> {
            Sql.update(c, "DELETE FROM settings WHERE name = ?", name);
            Sql.update(c, "INSERT INTO settings (name, value) VALUES (?, ?)", name, value);
            return null;
        });
    }

    /** Inserts unless the existence query finds a row, in one transaction; false when it existed. */
    private boolean insertIfAbsent(String exists, Object key, String insert, Object... values) {
        return db.writeTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(exists)) {
                s.setObject(1, key);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) return false;
                }
            }
            Sql.update(c, insert, values);
            return true;
        });
    }
}
