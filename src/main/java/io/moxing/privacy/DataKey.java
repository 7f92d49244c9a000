package io.moxing.privacy;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Hashing;
import io.moxing.core.MoxingHome;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit AES key that encrypts what a data directory keeps of its users' data (logged inputs, outputs,
 * feedback). It comes from {@code MOXING_DATA_KEY} (the base64 of 32 bytes) when that is set, otherwise from
 * {@code <home>/secrets/data-key}, which the first use creates: 32 random bytes as base64, owner-only.
 *
 * <p>Its {@linkplain #id() id} is the first 8 hex digits of the key's SHA-256 (as
 * {@code base64 -d < secrets/data-key | sha256sum | cut -c1-8} prints it): stored beside every ciphertext, so
 * that a record sealed with another key says so. The id is no secret; the key never appears in a message,
 * a log line or {@link #toString()}.
 */
public final class DataKey {
    public static final String VARIABLE = "MOXING_DATA_KEY";
    static final String FILE_NAME = "data-key";
    static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where the key came from; the server says so once, {@link #FILE_CREATED} above all. */
    public enum Source { ENVIRONMENT, FILE_CREATED, FILE }

    private final SecretKey key;
    private final byte[] id;
    private final Source source;
    private final Path file;

    private DataKey(byte[] raw, Source source, Path file) {
        this.key = new SecretKeySpec(raw, "AES");
        this.id = Arrays.copyOf(Hashing.sha256().digest(raw), 4);
        this.source = source;
        this.file = file;
    }

    /** The key of {@code home}: {@code MOXING_DATA_KEY}, else its file, created on first use. */
    public static DataKey of(MoxingHome home) {
        return of(home, System.getenv());
    }

    /** As {@link #of(MoxingHome)} with {@code environment} in place of the process's (tests cannot set it). */
    static DataKey of(MoxingHome home, Map<String, String> environment) {
        String value = environment.get(VARIABLE);
        if (value != null) {
            // set but unusable (empty too: a failed $(cat …)) is refused, never passed over for the file,
            // which would quietly encrypt with a key other than the one meant
            return new DataKey(decode(value, VARIABLE, "set it to the key this data directory's records were"
                    + " encrypted with, or make a new one with `head -c 32 /dev/urandom | base64`"), Source.ENVIRONMENT,
                    null);
        }
        Path file = home.secrets().resolve(FILE_NAME);
        Optional<byte[]> existing = read(file);
        if (existing.isPresent()) {
            return new DataKey(existing.get(), Source.FILE, file);
        }
        byte[] raw = new byte[BYTES];
        RANDOM.nextBytes(raw);
        if (AtomicFiles.createSecret(file, Base64.getEncoder().encodeToString(raw) + "\n")) {
            return new DataKey(raw, Source.FILE_CREATED, file);
        }
        // another process created it between our read and our create: its key is the one
        return new DataKey(read(file).orElseThrow(() -> new IllegalStateException(file + " vanished")), Source.FILE,
                file);
    }

    private static Optional<byte[]> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data key " + file, e);
        }
        return Optional.of(decode(text, file.toString(), "restore it from your copy (what it encrypted cannot be"
                + " read without it), or, only if nothing was ever encrypted with it, delete it and the next start"
                + " makes a new one"));
    }

    /**
     * The 32 bytes that {@code text} encodes, or a UserException naming {@code where} and what it found. The
     * decoder's own message is left out: it quotes the offending character, a piece of the secret.
     */
    private static byte[] decode(String text, String where, String fix) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UserException("invalid_data_key", where + " must be the base64 of " + BYTES
                    + " random bytes, but it is not base64 (" + text.strip().length() + " characters); " + fix);
        }
        if (raw.length != BYTES) {
            throw new UserException("invalid_data_key", where + " must be the base64 of " + BYTES
                    + " random bytes, but it decodes to " + raw.length + " bytes; " + fix);
        }
        return raw;
    }

    /** The first 8 hex digits of the key's SHA-256: which key sealed a record, without revealing it. */
    public String id() {
        return HexFormat.of().formatHex(id);
    }

    public Source source() {
        return source;
    }

    /** The key's file; empty when it came from {@code MOXING_DATA_KEY}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** One line for the operator: where the key is, and what to keep when it was just made. */
    public String describe() {
        return switch (source) {
            case ENVIRONMENT -> "data key " + id() + " from " + VARIABLE;
            case FILE -> "data key " + id() + " from " + file;
            case FILE_CREATED -> "data key " + id() + " created at " + file
                    + " (owner-only; keep a copy: what it encrypts cannot be read without it)";
        };
    }

    byte[] idBytes() {
        return id.clone();
    }

    SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "DataKey[id=" + id() + ", source=" + source + "]";
    }
}
