package io.moxing.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Failed sign-ins per client address: after {@link #FAILURES} in a minute, the address is refused (429) until the
 * oldest of them is a minute old. Credentials are random 256-bit secrets, so this does not protect them from guessing;
 * it keeps a scanner from filling the audit log and the CPU. A successful sign-in does not forgive the failures
 * before it: otherwise four guesses and one good sign-in, repeated, would never be limited.
 */
final class SignInThrottle {
    static final int FAILURES = 5;
    static final long WINDOW_MS = 60_000;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    /** Seconds the address must wait before it may try again; 0 when it may now. */
    synchronized long waitSeconds(String address, long nowMs) {
        Deque<Long> times = recent(address, nowMs);
        if (times == null || times.size() < FAILURES) return 0;
        return Math.max(1, (times.peekFirst() + WINDOW_MS - nowMs + 999) / 1000);
    }

    synchronized void failed(String address, long nowMs) {
        // addresses with nothing recent are dropped on each failure, so a scan from many addresses cannot grow the map
        failures.entrySet().removeIf(e -> e.getValue().isEmpty() || e.getValue().peekLast() <= nowMs - WINDOW_MS);
        failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(nowMs);
    }

    private Deque<Long> recent(String address, long nowMs) {
        Deque<Long> times = failures.get(address);
        if (times == null) return null;
        while (!times.isEmpty() && times.peekFirst() <= nowMs - WINDOW_MS) times.removeFirst();
        return times;
    }
}
