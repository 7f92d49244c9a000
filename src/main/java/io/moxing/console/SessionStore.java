package io.moxing.console;

import io.moxing.console.view.Frame.Flash;
import io.moxing.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's sessions, in this process's memory: enough for one node (a restart signs everyone out, which costs a
 * sign-in and nothing else). A session ends at sign-out, after {@link #LIFETIME}, or when its credential stops being
 * live. Sessions are indexed by a SHA-256 of their id, so what the server holds cannot be replayed as a cookie.
 */
final class SessionStore {
    static final Duration LIFETIME = Duration.ofHours(8);
    /** Sessions one credential (an API key, the admin token) may hold at once. */
    static final int MAX_PER_CREDENTIAL = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** One message per session from the action that redirected (post/redirect/get), shown once. */
    private final Map<String, Flash> flashes = new ConcurrentHashMap<>();

    /** A new random secret: 256 bits, URL-safe. */
    static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    Session open(Role role, String tenantId, String credentialId, String who, long nowMs) {
        sessions.entrySet().removeIf(e -> {
            boolean expired = e.getValue().expiresAtMs() <= nowMs;
            if (expired) flashes.remove(e.getKey());
            return expired;
        });
        // one credential signing in again and again (a script with a valid key) may not fill the heap: its oldest
        // sessions end first
        var own = sessions.entrySet().stream().filter(e -> e.getValue().credentialId().equals(credentialId))
                .sorted(java.util.Comparator.comparingLong(e -> e.getValue().expiresAtMs())).toList();
        for (int i = 0; i <= own.size() - MAX_PER_CREDENTIAL; i++) {
            sessions.remove(own.get(i).getKey());
            flashes.remove(own.get(i).getKey());
        }
        Session s = new Session(token(), token(), role, tenantId, credentialId, who, nowMs + LIFETIME.toMillis());
        sessions.put(index(s.id()), s);
        return s;
    }

    /** The live session of a cookie's id; empty when there is none, it ended or it expired. */
    Optional<Session> find(String id, long nowMs) {
        if (id == null || id.isEmpty()) return Optional.empty();
        String key = index(id);
        Session s = sessions.get(key);
        if (s == null) return Optional.empty();
        if (s.expiresAtMs() <= nowMs) {
            end(s);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    void end(Session s) {
        sessions.remove(index(s.id()));
        flashes.remove(index(s.id()));
    }

    void flash(Session s, Flash message) {
        flashes.put(index(s.id()), message);
    }

    /** The message left for this session, once. */
    Flash takeFlash(Session s) {
        return flashes.remove(index(s.id()));
    }

    /** Whether two secrets are equal, in time that does not depend on where they differ. */
    static boolean same(String expected, String presented) {
        return expected != null && presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String index(String id) {
        MessageDigest d = Hashing.sha256();
        d.update(id.getBytes(StandardCharsets.UTF_8));
        return Hashing.hex(d);
    }
}
