package io.moxing.core;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes that are never seen half-done: a file is written beside its target under a temporary name,
 * forced to disk and renamed into place; a directory is built under a temporary name and renamed.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        write(target, writer, new FileAttribute<?>[0]);
    }

    private static void write(Path target, Writer writer, FileAttribute<?>... attributes) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp",
                    attributes);
            try {
                try (var channel = java.nio.channels.FileChannel.open(tmp,
                        java.nio.file.StandardOpenOption.WRITE);
                     OutputStream out = new java.io.BufferedOutputStream(
                             java.nio.channels.Channels.newOutputStream(channel), 1 << 16)) {
                    writer.write(out);
                    out.flush();
                    channel.force(true);
                }
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public static void writeString(Path target, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes a secret readable by its owner only: on a POSIX file system the file is created rw------- before
     * a byte of it is written (and a directory made for it rwx------), so there is no moment when others
     * may read it.
     */
    public static void writeSecret(Path target, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path dir = target.toAbsolutePath().getParent();
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            write(target, out -> out.write(bytes));
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        write(target, out -> out.write(bytes),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    public static void writeJson(Path target, Object value) {
        writeString(target, Json.pretty(value) + "\n");
    }

    /**
     * Renames a fully written staging directory to its final name. Returns false, leaving the
     * staging directory in place, when the target already exists: versions never change once written.
     */
    public static boolean commitDirectory(Path staging, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            if (Files.exists(target)) {
                return false;
            }
            throw new UncheckedIOException("cannot move " + staging + " to " + target, e);
        }
    }

    /**
     * A fresh staging directory under {@code parent/.staging}. Leftovers of a process killed mid-write
     * (older than a day, so never a live job's) are removed on the way.
     */
    public static Path stagingDirectory(Path parent) {
        try {
            Path staging = parent.resolve(".staging");
            Files.createDirectories(staging);
            removeStale(staging);
            return Files.createTempDirectory(staging, "tmp-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory under " + parent, e);
        }
    }

    private static void removeStale(Path staging) throws IOException {
        long dayAgo = System.currentTimeMillis() - 24 * 3600 * 1000L;
        try (Stream<Path> s = Files.list(staging)) {
            for (Path p : s.toList()) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < dayAgo) {
                        deleteRecursively(p);
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // another writer committed or removed it meanwhile: nothing stale there
                }
            }
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
