package io.moxing.billing;

/**
 * A token bucket: holds at most {@code burst} tokens, refills at {@code ratePerSecond}, and each admitted
 * request takes one. Synchronised per bucket (one per tenant, or per API key with a rate of its own), so concurrent
 * requests drawing from it can never take more than the bucket held plus what refilled meanwhile.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token and returns 0, or returns the nanoseconds until one will be there. */
    public long take(long nowNanos) {
        return take(1, nowNanos);
    }

    /** Takes {@code n} tokens at once and returns 0, or takes none and returns the nanoseconds until n will be there. */
    public synchronized long take(int n, long nowNanos) {
        refill(nowNanos);
        if (tokens >= n) {
            tokens -= n;
            return 0;
        }
        return (long) Math.ceil((n - tokens) / ratePerNano);
    }

    /** Puts back {@code n} tokens taken for work that turned out smaller (never above the burst). */
    public synchronized void giveBack(int n, long nowNanos) {
        refill(nowNanos);
        tokens = Math.min(burst, tokens + n);
    }

    /** Whole tokens in the bucket now. */
    public synchronized long available(long nowNanos) {
        refill(nowNanos);
        return (long) Math.floor(tokens);
    }

    /** Nanoseconds until the bucket is full again. */
    public synchronized long nanosUntilFull(long nowNanos) {
        refill(nowNanos);
        return (long) Math.ceil((burst - tokens) / ratePerNano);
    }

    public double burst() {
        return burst;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(burst, tokens + (nowNanos - last) * ratePerNano);
            last = nowNanos;
        }
    }

    public boolean sameTerms(double ratePerSecond, int burstSize) {
        return Math.abs(ratePerNano * 1e9 - ratePerSecond) < 1e-9 && burst == burstSize;
    }
}
