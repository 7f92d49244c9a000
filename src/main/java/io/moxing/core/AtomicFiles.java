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
        write(target, writer, AtomicFiles::move);
    }

    /** How a fully written temporary file takes its target's place; false when it may not. */
    @FunctionalInterface
    private interface Placement {
        boolean place(Path tmp, Path target) throws IOException;
    }

    private static boolean write(Path target, Writer writer, Placement placement, FileAttribute<?>... attributes) {
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
                return placement.place(tmp, target);
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
        write(target, out -> out.write(bytes), AtomicFiles::move, ownerOnly(target));
    }

    /**
     * Creates a secret as {@link #writeSecret} does, but only where none exists yet: returns false, changing
     * nothing, when {@code target} is already there. Of processes creating the same secret at once exactly one
     * succeeds, and the others then read a complete file, never a half-written one.
     */
    public static boolean createSecret(Path target, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return write(target, out -> out.write(bytes), AtomicFiles::link, ownerOnly(target));
    }

    /**
     * Makes the directory of {@code target} (rwx------ where it is new) and returns the attributes that create
     * a file rw-------; nothing on a file system without POSIX permissions.
     */
    private static FileAttribute<?>[] ownerOnly(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
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

    private static boolean move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /**
     * Places {@code tmp} only where {@code target} does not exist. A rename cannot do it: on Linux an atomic
     * move replaces whatever is there (rename(2)), so two creators would both succeed and one would go on with
     * a secret the other has overwritten. A hard link fails atomically when the name is taken.
     */
    private static boolean link(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            // no hard links on this file system: a move that checks first, with a moment's race between two creators
            try {
                Files.move(tmp, target);
                return true;
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
        }
    }
}
