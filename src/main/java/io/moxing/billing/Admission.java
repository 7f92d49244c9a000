package io.moxing.billing;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides, per request and without touching the database, who is calling and whether they may: the
 * key's secret must match its salted hash, the key must be live and allowed the model, the model must be
 * public or the tenant's own, the token bucket (the key's own when the operator gave it a rate, else the
 * tenant's, shared by its keys) must hold a token and the tenant's monthly quota a request. Keys, tenants, plans and ownership are read from {@link Accounts} into memory by
 * {@link #refresh} (the server does it every second; a key unknown here triggers an early refresh, at
 * most five a second, so a key made a moment ago by the CLI works at once).
 */
public final class Admission {
    private final Accounts accounts;
    private final UsageLedger ledger;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MonthlyCount> quotaUse = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    private volatile long refreshedAtNanos;
    /** The accounts' change marker when last read, and when it was read (it is read at most once a millisecond). */
    private volatile long seenMarker;
    private volatile long markerReadAtNanos;

    private record Snapshot(Map<String, ApiKey> keys, Map<String, Tenant> tenants, Map<String, Plan> plans,
                            Map<String, List<PlanAssignment>> assignments, Map<String, String> owners) {}

    /** Requests a tenant has been admitted this month: loaded from the ledger once, then counted here. */
    private record MonthlyCount(YearMonth month, AtomicLong used) {}

    /**
     * Where a key's rate limit stands: the bucket's size, the requests it still holds, and how long until it
     * is full again (what OpenAI's x-ratelimit-*-requests headers say).
     */
    public record RateState(long limit, long remaining, long nanosUntilFull) {}

    /** An admitted request; release it when the request turns out not to be charged. */
    public record Ticket(String tenantId, YearMonth month, boolean counted) {}

    public Admission(Accounts accounts, UsageLedger ledger) {
        this.accounts = accounts;
        this.ledger = ledger;
        refresh();
    }

    public synchronized void refresh() {
        long marker = accounts.changeMarker();  // before reading: a revocation during the read is seen next time
        Map<String, ApiKey> keys = new HashMap<>();
        accounts.keys().forEach(k -> keys.put(k.id(), k));
        Map<String, Tenant> tenants = new HashMap<>();
        accounts.tenants().forEach(t -> tenants.put(t.id(), t));
        Map<String, List<PlanAssignment>> assignments = new HashMap<>();
        accounts.assignments().forEach(a -> assignments.computeIfAbsent(a.tenantId(), k -> new ArrayList<>()).add(a));
        Map<String, Plan> plans = new HashMap<>();
        accounts.plans().forEach(p -> plans.put(p.name(), p));
        snapshot = new Snapshot(Map.copyOf(keys), Map.copyOf(tenants), Map.copyOf(plans), Map.copyOf(assignments),
                Map.copyOf(accounts.owners()));
        // published after the snapshot it belongs to: a request that finds the marker unchanged (refreshIfRevoked,
        // unlocked) must find the keys read after it too, not the ones this refresh is still replacing
        seenMarker = marker;
        refreshedAtNanos = System.nanoTime();
    }

    /** Re-reads unless another thread just did: unknown keys from many clients cost one read per 200 ms at most. */
    private synchronized void refreshIfOlderThan(long nanos) {
        if (System.nanoTime() - refreshedAtNanos > nanos) refresh();
    }

    /** Re-reads the accounts when another process on this machine has revoked a key since the last read. */
    private void refreshIfRevoked() {
        long now = System.nanoTime();
        if (now - markerReadAtNanos < 1_000_000L) return;
        markerReadAtNanos = now;
        if (accounts.changeMarker() != seenMarker) refresh();
    }

    /** The caller presenting {@code authorization} (an HTTP Authorization header value). */
    public Caller authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Refusal(Refusal.Reason.UNAUTHENTICATED, "missing_api_key",
                    "send your API key as the header 'Authorization: Bearer mx_live_...'");
        }
        Secrets.Presented presented = Secrets.parse(Secrets.KEY_PREFIX, Secrets.bearer(authorization));
        if (presented == null) {
            throw new Refusal(Refusal.Reason.UNAUTHENTICATED, "invalid_api_key",
                    "the Authorization header does not hold an API key of the form 'Bearer mx_live_...'");
        }
        long now = System.currentTimeMillis();
        refreshIfRevoked();
        ApiKey key = snapshot.keys().get(presented.id());
        if (key == null) {
            refreshIfOlderThan(200_000_000L);
            key = snapshot.keys().get(presented.id());
        }
        if (key == null || !Secrets.matches(presented.secret(), key.salt(), key.hash())) {
            throw new Refusal(Refusal.Reason.UNAUTHENTICATED, "invalid_api_key", "unknown API key; check it or ask for a new one");
        }
        if (!key.liveAt(now)) {
            throw new Refusal(Refusal.Reason.UNAUTHENTICATED, "invalid_api_key", "API key " + Secrets.KEY_PREFIX + key.id()
                    + (key.revokedAt() != null ? " was revoked" : " has expired") + "; ask for a new one");
        }
        Tenant tenant = snapshot.tenants().get(key.tenantId());
        Plan plan = tenant == null ? null : planAt(key.tenantId(), now);
        if (plan == null) {
            throw new Refusal(Refusal.Reason.FORBIDDEN, "no_plan", "tenant " + key.tenantId() + " has no plan yet");
        }
        return new Caller(key, tenant, plan);
    }

    /**
     * Whether the key with this id still works (not revoked, not expired): asked again while a long answer is written,
     * so that a revoked key's streams stop too, not only its new requests. It reads the keys as last read (every
     * poll, and at once when a request finds that another process revoked one), never the database: it is asked on
     * the thread that writes every text of a batch, which must not wait for a read or fail with one.
     */
    public boolean live(String keyId) {
        ApiKey key = snapshot.keys().get(keyId);
        return key != null && key.liveAt(System.currentTimeMillis());
    }

    /** The tenant that owns a private deployment, or null when it is public. */
    public String owner(String deployment) {
        return snapshot.owners().get(deployment);
    }

    /** Whether the caller's tenant may see the deployment at all (public, or its own). */
    public boolean visible(Caller caller, String deployment) {
        String owner = snapshot.owners().get(deployment);
        return owner == null || owner.equals(caller.tenant().id());
    }

    /** The deployment must be visible to the tenant (else it does not exist for them) and allowed to the key. */
    public void authorize(Caller caller, String deployment) {
        if (!visible(caller, deployment)) {
            throw new Refusal(Refusal.Reason.NOT_FOUND, "unknown_model", "no model deployed as '" + deployment + "'");
        }
        if (!caller.key().allows(deployment)) {
            throw new Refusal(Refusal.Reason.FORBIDDEN, "model_not_allowed", "API key " + Secrets.KEY_PREFIX + caller.key().id()
                    + " may not call '" + deployment + "'; it may call " + caller.key().models().stream().sorted().toList());
        }
    }

    /** Takes a token from the key's bucket and a request from the tenant's monthly quota, or refuses with 429. */
    public Ticket admit(Caller caller) {
        Plan plan = caller.plan();
        Ticket ticket = reserveQuota(caller.tenant().id(), plan);
        Double keyRate = caller.key().ratePerSecond();
        Double rate = keyRate != null ? keyRate : plan.ratePerSecond();
        if (rate != null) {
            // a key's own rate brings its own burst: the plan's burst was sized for the plan's rate
            int burst = caller.key().burst() != null ? caller.key().burst()
                    : keyRate == null && plan.burst() != null ? plan.burst() : (int) Math.max(1, Math.ceil(rate));
            TokenBucket bucket = buckets.compute(bucketId(caller), (id, b) ->
                    b != null && b.sameTerms(rate, burst) ? b : new TokenBucket(rate, burst, System.nanoTime()));
            long waitNanos = bucket.take(System.nanoTime());
            if (waitNanos > 0) {
                release(ticket);
                long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
                String whose = keyRate != null ? "API key " + Secrets.KEY_PREFIX + caller.key().id()
                        : "plan " + plan.name() + " for tenant " + caller.tenant().id() + " (shared by its keys)";
                throw new Refusal(Refusal.Reason.RATE_LIMITED, "rate_limited", "rate limit of " + whose + " ("
                        + rate + " " + unitName(caller, keyRate) + "/s, burst " + burst + ") reached; retry after " + seconds
                        + " s", seconds);
            }
        }
        return ticket;
    }

    /**
     * Whose token bucket a request draws from: a key with a rate of its own (set by the operator) has its own; every
     * other key of a tenant shares the tenant's, so the plan's rate is the tenant's however many keys it makes
     * (tenants make their own keys in the console).
     */
    private static String bucketId(Caller caller) {
        return caller.key().ratePerSecond() != null ? "key " + caller.key().id() : "tenant " + caller.tenant().id();
    }

    /** Where the caller's rate limit stands (its key's, or its tenant's), or null when it has none or has not been used. */
    public RateState rateState(Caller caller) {
        TokenBucket bucket = buckets.get(bucketId(caller));
        if (bucket == null) return null;
        long now = System.nanoTime();
        return new RateState((long) bucket.burst(), bucket.available(now), bucket.nanosUntilFull(now));
    }

    private static String unitName(Caller caller, Double keyRate) {
        return keyRate != null ? caller.key().rateUnit().label() : RateUnit.REQUESTS.label();
    }

    /** What the caller's key's rate counts (requests when the key has no rate of its own). */
    public RateUnit rateUnit(Caller caller) {
        return caller.key().ratePerSecond() == null ? RateUnit.REQUESTS : caller.key().rateUnit();
    }

    /**
     * For a key whose rate counts {@code unit} (predictions or tokens): {@link #admit} took one on the headers,
     * and once the body says how many the request needs, the rest are taken here (all or none; 429 naming the
     * unit otherwise). Returns how many were taken in all (0 when the key counts something else).
     */
    public int admitUnits(Caller caller, RateUnit unit, int count) {
        if (caller.key().ratePerSecond() == null || caller.key().rateUnit() != unit || count <= 1) return 0;
        TokenBucket bucket = buckets.get(bucketId(caller));
        if (bucket == null) return 0;
        if (count > bucket.burst()) {
            throw new Refusal(Refusal.Reason.OVER_LIMIT, "request_over_burst", "the request needs " + count + " "
                    + unit.label() + " but API key " + Secrets.KEY_PREFIX + caller.key().id() + " may use at most "
                    + (long) bucket.burst() + " at once; " + (unit == RateUnit.TOKENS ? "ask for fewer max_tokens" : "split it"));
        }
        long waitNanos = bucket.take(count - 1, System.nanoTime());
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            throw new Refusal(Refusal.Reason.RATE_LIMITED, "rate_limited", "rate limit of API key " + Secrets.KEY_PREFIX
                    + caller.key().id() + " (" + caller.key().ratePerSecond() + " " + unit.label() + "/s) reached by " + count
                    + " " + unit.label() + "; retry after " + seconds + " s", seconds);
        }
        return count;
    }

    /** Gives back {@code count} of what {@link #admitUnits} took and the work did not use. */
    public void giveBack(Caller caller, int count) {
        TokenBucket bucket = buckets.get(bucketId(caller));
        if (bucket != null && count > 0) bucket.giveBack(count, System.nanoTime());
    }

    private Ticket reserveQuota(String tenantId, Plan plan) {
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        if (plan.monthlyQuota() == null) return new Ticket(tenantId, month, false);
        MonthlyCount count = quotaUse.compute(tenantId, (t, c) -> c != null && c.month().equals(month) ? c
                : new MonthlyCount(month, new AtomicLong(used(tenantId, new BillingPeriod(month)))));
        if (count.used().incrementAndGet() > plan.monthlyQuota()) {
            count.used().decrementAndGet();
            long seconds = Math.max(1, (new BillingPeriod(month).endMs() - System.currentTimeMillis() + 999) / 1000);
            throw new Refusal(Refusal.Reason.QUOTA_EXCEEDED, "quota_exceeded", "monthly quota of " + plan.monthlyQuota()
                    + " requests of plan " + plan.name() + " is used up until " + month.plusMonths(1).atDay(1)
                    + "; upgrade the plan or wait", seconds);
        }
        return new Ticket(tenantId, month, true);
    }

    private long used(String tenantId, BillingPeriod period) {
        return ledger.totals(tenantId, period.startMs(), period.endMs()).requests();
    }

    /** Gives the quota back for a request that is not charged (it failed on our side or was a retry). */
    public void release(Ticket ticket) {
        if (!ticket.counted()) return;
        MonthlyCount count = quotaUse.get(ticket.tenantId());
        if (count != null && count.month().equals(ticket.month())) count.used().decrementAndGet();
    }

    /** The plan of the tenant at {@code atMs} (its latest assignment at or before then), or null. */
    public Plan planAt(String tenantId, long atMs) {
        Plan plan = null;
        for (PlanAssignment a : snapshot.assignments().getOrDefault(tenantId, List.of())) {
            if (a.effectiveFrom() <= atMs) plan = snapshot.plans().get(a.plan());
        }
        return plan;
    }

    /** Deployment names of {@code names} the caller may see. */
    public List<String> visibleOf(Caller caller, java.util.Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) if (visible(caller, n)) out.add(n);
        out.sort(null);
        return out;
    }
}
