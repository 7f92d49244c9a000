package io.moxing.billing;

import io.moxing.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Bearer secrets (API keys and admin tokens): {@code PREFIX + id + "_" + secret}, where the id is a
 * short public handle (shown in listings, logs and usage) and the secret is 256 random bits. Only a
 * salted SHA-256 of the secret is stored. A slow password hash would buy nothing here: the secret is
 * random, not chosen by a person, so it cannot be guessed from a dictionary, and a fast hash keeps
 * authentication off the latency budget.
 */
public final class Secrets {
    public static final String KEY_PREFIX = "mx_live_";
    public static final String ADMIN_PREFIX = "mx_admin_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** A new secret and what is stored of it. */
    public record Issued(String id, String plaintext, String salt, String hash) {
        /** Never print the plaintext by accident: it is shown once, on purpose, by whoever issued it. */
        @Override
        public String toString() {
            return "Issued[id=" + id + "]";
        }
    }

    /** The parts of a presented secret, or null when it does not have the shape of one. */
    public record Presented(String id, String secret) {
        @Override
        public String toString() {
            return "Presented[id=" + id + "]";
        }
    }

    public static Issued issue(String prefix) {
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        String id = HexFormat.of().formatHex(idBytes);
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        byte[] saltBytes = new byte[16];
        RANDOM.nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        return new Issued(id, prefix + id + "_" + secret, salt, hash(salt, secret));
    }

    public static Presented parse(String prefix, String presented) {
        if (presented == null || !presented.startsWith(prefix)) return null;
        int sep = presented.indexOf('_', prefix.length());
        if (sep < 0 || sep == presented.length() - 1) return null;
        return new Presented(presented.substring(prefix.length(), sep), presented.substring(sep + 1));
    }

    /** The token of an HTTP Authorization header of the Bearer scheme, or null when it has another or none. */
    public static String bearer(String header) {
        // the scheme is case-insensitive (RFC 9110 11.1); a credential without one is refused, not guessed at
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    /** The public id of an API key given as its id, its prefix ({@code mx_live_ID}) or the whole key. */
    public static String keyId(String text) {
        String id = text.startsWith(KEY_PREFIX) ? text.substring(KEY_PREFIX.length()) : text;
        int sep = id.indexOf('_');
        return sep < 0 ? id : id.substring(0, sep);
    }

    /** Whether {@code secret} hashes to {@code hash} with {@code salt}, compared in constant time. */
    public static boolean matches(String secret, String salt, String hash) {
        return MessageDigest.isEqual(hash(salt, secret).getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    static String hash(String salt, String secret) {
        MessageDigest d = Hashing.sha256();
        d.update(salt.getBytes(StandardCharsets.US_ASCII));
        d.update(secret.getBytes(StandardCharsets.US_ASCII));
        return Hashing.hex(d);
    }
}
