package io.moxing.http;

import io.javalin.http.Context;
import io.moxing.billing.Actor;
import io.moxing.billing.Admission;
import io.moxing.billing.BillingAdmin;
import io.moxing.billing.Caller;
import io.moxing.billing.Idempotency;
import io.moxing.billing.Refusal;
import io.moxing.billing.Secrets;
import io.moxing.billing.UsageMeter;
import io.moxing.billing.UsageRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The business layer at the serving edge (HTTP and gRPC): who calls (API key or admin token), whether they
 * may, and the usage record of each request they make. Refusals become {@link ApiError}s: 401, 403, 404,
 * 409, 422, or 429 with how long to wait.
 */
final class BillingGate implements AutoCloseable {
    private final BillingAdmin billing;
    private final Admission admission;
    private final UsageMeter meter;
    private final Idempotency idempotency;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "accounts-refresh");
        t.setDaemon(true);
        return t;
    });

    BillingGate(BillingAdmin billing, int pollMs) {
        this.billing = billing;
        this.admission = new Admission(billing.accounts(), billing.ledger());
        this.meter = new UsageMeter(billing.ledger());
        this.idempotency = new Idempotency(billing.ledger());
        refresher.scheduleWithFixedDelay(() -> {
            try {
                admission.refresh();
            } catch (RuntimeException e) {
                System.err.println("reading keys and plans failed: " + e.getMessage());
            }
        }, pollMs, pollMs, TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(this::purgeKeptAnswers, 0, 1, TimeUnit.HOURS);
    }

    /** Answers kept for idempotent replays are kept 24 hours; the usage records keep their fingerprints. */
    private void purgeKeptAnswers() {
        try {
            billing.ledger().purgeAnswers(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(24));
        } catch (RuntimeException e) {
            System.err.println("purging kept answers failed (retried in an hour): " + e.getMessage());
        }
    }

    BillingAdmin billing() {
        return billing;
    }

    Admission admission() {
        return admission;
    }

    /** The caller presenting {@code authorization}, an Authorization header value (401 without a valid key). */
    Caller caller(String authorization) {
        try {
            return admission.authenticate(authorization);
        } catch (Refusal r) {
            throw refused(r);
        }
    }

    /**
     * The caller's key must be allowed {@code deployment} (403). Whether the tenant may see it at all is the
     * caller's question to ask first, so that a private name answers exactly as a missing one.
     */
    void authorize(Caller caller, String deployment) {
        try {
            admission.authorize(caller, deployment);
        } catch (Refusal r) {
            throw refused(r);
        }
    }

    /** Takes a rate-limit token and a quota request (429 with Retry-After when either is spent). */
    Admission.Ticket admit(Caller caller) {
        try {
            return admission.admit(caller);
        } catch (Refusal r) {
            throw refused(r);
        }
    }

    /**
     * Takes the rest of what a request needs from a key whose rate counts {@code unit} (429 naming the unit when
     * spent); returns how many were taken in all.
     */
    int admitUnits(Caller caller, io.moxing.billing.RateUnit unit, int count) {
        try {
            return admission.admitUnits(caller, unit, count);
        } catch (Refusal r) {
            throw refused(r);
        }
    }

    /** Gives back rate tokens taken for work that turned out smaller. */
    void giveBack(Caller caller, int count) {
        admission.giveBack(caller, count);
    }

    /**
     * Tells the client where its key's rate limit stands, in OpenAI's headers: x-ratelimit-limit-requests (the
     * burst), x-ratelimit-remaining-requests, x-ratelimit-reset-requests (until the bucket is full, e.g. "1.5s").
     */
    void rateHeaders(Caller caller, java.util.function.BiConsumer<String, String> header) {
        Admission.RateState state = admission.rateState(caller);
        if (state == null) return;
        // a key whose rate counts tokens answers OpenAI's -tokens headers; one counting predictions, its own
        String unit = admission.rateUnit(caller).label();
        header.accept("x-ratelimit-limit-" + unit, Long.toString(state.limit()));
        header.accept("x-ratelimit-remaining-" + unit, Long.toString(state.remaining()));
        header.accept("x-ratelimit-reset-" + unit, duration(state.nanosUntilFull()));
    }

    /** OpenAI's duration form: "6m0s", "1.5s", "20ms". */
    static String duration(long nanos) {
        long ms = Math.max(0, (nanos + 999_999) / 1_000_000);
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + "s";
        return ms / 60_000 + "m" + (ms % 60_000) / 1000 + "s";
    }

    /** Gives back the quota of an admitted request that will not be charged. */
    void release(Admission.Ticket ticket) {
        if (ticket != null) admission.release(ticket);
    }

    Idempotency idempotency() {
        return idempotency;
    }

    /** The admin behind the request's admin token, as an audit actor (401/403 otherwise). */
    Actor admin(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new ApiError(401, "missing_admin_token", "admin routes need 'Authorization: Bearer mx_admin_...' (printed"
                    + " once on the server's first start; 'moxing admin token' makes a new one)");
        }
        return billing.admin(Secrets.bearer(header)).map(t -> new Actor("admin:" + t.id(), ctx.ip()))
                .orElseThrow(() -> new ApiError(403, "not_admin", "this route needs a live admin token; API keys cannot administer"));
    }

    /**
     * Meters a request: the future completes when the record is durable, true when it was charged now and
     * false when an earlier attempt with the same idempotency key already was.
     */
    CompletableFuture<Boolean> meter(UsageRecord record, Admission.Ticket ticket) {
        CompletableFuture<Boolean> written = meter.record(record);
        written.whenComplete((charged, failure) -> {
            if (!record.charged() || failure != null || !charged) admission.release(ticket);
        });
        return written;
    }

    /** A refusal as the edge answers it: its status, and how long to wait when a limit refused. */
    static ApiError refused(Refusal r) {
        int status = switch (r.reason()) {
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case IDEMPOTENCY_IN_PROGRESS -> 409;
            case IDEMPOTENCY_REUSED -> 422;
            case RATE_LIMITED, QUOTA_EXCEEDED -> 429;
            case OVER_LIMIT -> 400;
        };
        return new ApiError(status, r.code(), r.getMessage(), r.retryAfterSeconds());
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        meter.close();
    }
}
