package io.moxing.registry;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Model versions under {@code models/<name>/<version>/}, numbered 1, 2, 3... A version is assembled in
 * a staging directory and renamed into place, so a reader never sees half a version and two writers
 * never get the same number.
 */
public final class ModelRegistry {
    private final Path root;

    public ModelRegistry(Path root) {
        this.root = root;
    }

    /**
     * Registers a new version of {@code name}. {@code writer} fills the staging directory given the
     * version number it will have and returns the card; the card is written last. A card whose
     * {@link Signature} differs from the newest version's is refused ({@link #requireSameSignature}).
     */
    public ModelVersion register(String name, Function<Integer, Writer> writerForVersion) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int version = nextVersion(name);
            Path staging = AtomicFiles.stagingDirectory(root);
            try {
                ModelVersion card = writerForVersion.apply(version).write(staging);
                // the last guard: a caller should have asked before spending an hour of training
                requireSameSignature(name, card.signature(), null);
                AtomicFiles.writeJson(staging.resolve("model.json"), card);
                if (AtomicFiles.commitDirectory(staging, root.resolve(name).resolve(Integer.toString(version)))) {
                    return card;
                }
            } finally {
                AtomicFiles.deleteRecursively(staging);
            }
        }
        throw new IllegalStateException("could not allocate a version number for " + name);
    }

    /**
     * Refuses a new version of {@code name} whose task, input or classes differ from its newest version's,
     * with a message that suggests {@code --name otherName} (or just {@code --name} when null).
     */
    public void requireSameSignature(String name, Signature next, String otherName) {
        Path newest = newestVersion(name);
        if (newest == null) {
            return;
        }
        ModelVersion current = Json.read(newest.resolve("model.json"), ModelVersion.class);
        List<String> differences = next.differencesFrom(current.signature(), current.ref());
        if (!differences.isEmpty()) {
            throw new UserException("incompatible_version", "a new version of '" + name + "' would have "
                    + String.join(", and ", differences) + "; every version of a name answers the same question"
                    + " ('moxing deploy " + name + "' serves the newest), so register this model under a name of its own: "
                    + (otherName == null ? "--name NAME" : "--name " + otherName));
        }
    }

    /** Fills a staging directory with a version's files and returns its card. */
    @FunctionalInterface
    public interface Writer {
        ModelVersion write(Path staging);
    }

    public List<ModelVersion> list() {
        List<ModelVersion> out = new ArrayList<>();
        for (Path nameDir : children(root)) {
            for (Path v : children(nameDir)) {
                if (Files.isRegularFile(v.resolve("model.json"))) {
                    out.add(Json.read(v.resolve("model.json"), ModelVersion.class));
                }
            }
        }
        out.sort(Comparator.comparing(ModelVersion::name).thenComparing(ModelVersion::version));
        return out;
    }

    /** The directory of {@code name} (latest version) or {@code name:version}. */
    public Path resolve(String ref) {
        String[] parts = ref.split(":", 2);
        Path nameDir = root.resolve(parts[0]);
        List<Path> versions = children(nameDir).stream().filter(p -> Files.isRegularFile(p.resolve("model.json"))).toList();
        if (parts[0].isBlank() || parts[0].startsWith(".") || versions.isEmpty()) {
            throw new UserException("unknown_model", "no model named '" + parts[0]
                    + "'; train one (moxing train ...) or see 'moxing models list'");
        }
        if (parts.length == 1) {
            return newestVersion(parts[0]);
        }
        Path dir = nameDir.resolve(parts[1]);
        if (!Files.isRegularFile(dir.resolve("model.json"))) {
            throw new UserException("unknown_model_version", "model '" + parts[0] + "' has no version '" + parts[1]
                    + "'; versions: " + versions.stream().map(p -> p.getFileName().toString()).sorted().toList());
        }
        return dir;
    }

    public ModelVersion card(String ref) {
        return Json.read(resolve(ref).resolve("model.json"), ModelVersion.class);
    }

    public Provenance provenance(String ref) {
        return Json.read(resolve(ref).resolve("provenance.json"), Provenance.class);
    }

    /** Deletes one version (name:version is required, so a bare name never deletes everything by accident). */
    public ModelVersion delete(String ref) {
        if (!ref.contains(":")) {
            throw new UserException("version_required", "give the version to delete, e.g. " + ref + ":1");
        }
        Path dir = resolve(ref);
        ModelVersion card = Json.read(dir.resolve("model.json"), ModelVersion.class);
        // rename out of sight first, so the version disappears at once even if deleting the files is slow
        Path trash = AtomicFiles.stagingDirectory(root).resolve("deleted");
        try {
            Files.move(dir, trash);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
        AtomicFiles.deleteRecursively(trash.getParent());
        return card;
    }

    /** Writes a version's directory as a zip archive. */
    public Path export(String ref, Path target) {
        Path dir = resolve(ref);
        AtomicFiles.write(target, out -> zip(dir, out));
        return target;
    }

    private static void zip(Path dir, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        String prefix = dir.getParent().getFileName() + "-" + dir.getFileName() + "/";
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(prefix + dir.relativize(f)));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    /** The directory of {@code name}'s highest-numbered complete version, or null when it has none. */
    private Path newestVersion(String name) {
        return children(root.resolve(name)).stream().filter(p -> Files.isRegularFile(p.resolve("model.json")))
                .max(Comparator.comparingInt(ModelRegistry::number)).orElse(null);
    }

    private int nextVersion(String name) {
        return children(root.resolve(name)).stream().mapToInt(ModelRegistry::number).max().orElse(0) + 1;
    }

    private static int number(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
