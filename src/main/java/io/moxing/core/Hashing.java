package io.moxing.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 digests: the identity of data-set versions and model files. */
public final class Hashing {
    private Hashing() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] bytes) {
        MessageDigest d = sha256();
        d.update(bytes);
        return hex(d);
    }

    /** One digest over several files, each prefixed with its name so that renames change the hash. */
    public static String sha256(Path dir, List<String> fileNames) {
        MessageDigest d = sha256();
        byte[] buffer = new byte[1 << 16];
        for (String name : fileNames) {
            d.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.update((byte) 0);
            try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    d.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir.resolve(name), e);
            }
        }
        return hex(d);
    }

    public static String sha256(Path file) {
        return sha256(file.getParent(), List.of(file.getFileName().toString()));
    }
}
