package io.moxing.serve;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ids for requests and their predictions, as unique and as unguessable as random UUIDs: a counter enciphered
 * with AES under a key drawn once per process. {@code UUID.randomUUID} draws from the system's SecureRandom, which
 * locks and hashes on every call and showed in the serving profile at two ids a request. A counter alone would
 * be cheaper still, but consecutive ids would tell a tenant how many requests others made in between.
 */
public final class RequestIds {
    private static final SecureRandom SEED = new SecureRandom();
    private static final SecretKeySpec KEY = new SecretKeySpec(randomBytes(16), "AES");
    private static final long PROCESS = SEED.nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, KEY);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is missing from this JVM", e);
        }
    });

    private RequestIds() {}

    /** Random bytes from the seeded generator (not generateSeed, which may block on a host short of entropy). */
    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        SEED.nextBytes(b);
        return b;
    }

    /** A new id in the form of a random (version 4) UUID. */
    public static String next() {
        byte[] block = ByteBuffer.allocate(16).putLong(PROCESS).putLong(COUNTER.getAndIncrement()).array();
        ByteBuffer out;
        try {
            out = ByteBuffer.wrap(CIPHERS.get().doFinal(block));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed on one block", e);
        }
        // the version and variant bits of a random UUID; the other 122 bits are the cipher's
        long high = out.getLong() & ~0xF000L | 0x4000L;
        long low = out.getLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
