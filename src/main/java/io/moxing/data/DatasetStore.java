package io.moxing.data;

import io.moxing.core.Json;
import io.moxing.core.UserException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The versioned data-set store under {@code datasets/<name>/<version>/}. */
public final class DatasetStore {
    private final Path root;

    public DatasetStore(Path root) {
        this.root = root;
    }

    /** Imports a source and stores it as a new version (or returns the existing version of the same content). */
    public DatasetManifest importFrom(ImportOptions options) {
        RawDataset raw = Importers.read(options);
        return DatasetWriter.write(root, raw, options);
    }

    /**
     * Resolves a data set, importing it first when it is not in the store yet but is a known local
     * source (such as Fashion-MNIST from the Debian package).
     */
    public Dataset resolveOrImportKnown(String ref) {
        String name = ref.split(":", 2)[0];
        if (!ref.contains(":") && !Files.isDirectory(root.resolve(name))) {
            var known = KnownSources.find(name);
            if (known.isPresent()) {
                if (!Files.exists(known.get().path())) {
                    throw new UserException("missing_data", "data set '" + name + "' is not imported and "
                            + known.get().path() + " is missing; install it with: apt-get install " + known.get().debianPackage());
                }
                importFrom(defaults(name, known.get()));
            }
        }
        return resolve(ref);
    }

    /** The import options for a known source by name. */
    public static ImportOptions defaults(String name, KnownSources.Source source) {
        return new ImportOptions(name, source.path(), source.format(), null, List.of(), null, null, 42, 0.1,
                "text".equals(source.format()) ? 0.0 : 0.1, null, null, null,
                "image".equals(source.format()) || "idx".equals(source.format()) ? source.channels() : null,
                source.pad(), source.classes(), "%");
    }

    /**
     * A new data set made of some classes of a stored image data set, relabelled in the order given,
     * with at most {@code trainLimit} training samples (chosen by seed). Its manifest names the source
     * version, so the derivation can be repeated.
     */
    public DatasetManifest subset(String name, String sourceRef, List<String> classes, Integer trainLimit, long seed) {
        Dataset source = resolve(sourceRef);
        DatasetManifest m = source.manifest();
        if (!"image".equals(m.kind()) && !"table".equals(m.kind()) || !m.isClassification()) {
            throw new UserException("wrong_data_kind", m.ref() + " is not a classification data set; subsets pick classes");
        }
        for (String c : classes) {
            if (!m.classes().contains(c)) {
                throw new UserException("unknown_class", "--classes names '" + c + "', which " + m.ref()
                        + " does not have; its classes are " + m.classes());
            }
        }
        RawDataset raw = new RawDataset(m.kind(), "subset of " + m.ref() + " " + classes, m.sampleShape(), m.task(),
                classes, m.featureNames());
        for (String split : m.splits().keySet()) {
            TensorFile x = TensorFile.read(source.directory().resolve(split + ".x"));
            float[] y = TensorFile.read(source.directory().resolve(split + ".y")).toFloats();
            int size = x.sampleSize();
            int[] order = "train".equals(split) ? Permutations.of(y.length, seed) : null;
            float[] floats = x.dtype() == DType.FLOAT32 ? x.toFloats() : null;
            SampleSet set = raw.partition(split, x.dtype());
            int kept = 0;
            for (int k = 0; k < y.length; k++) {
                int i = order == null ? k : order[k];
                int label = classes.indexOf(m.classes().get((int) y[i]));
                if (label < 0 || ("train".equals(split) && trainLimit != null && kept >= trainLimit)) continue;
                raw.countRead();
                if (x.dtype() == DType.UINT8) {
                    byte[] sample = new byte[size];
                    x.data().duplicate().position(x.data().position() + i * size).get(sample);
                    set.add(sample, label);
                } else {
                    set.add(java.util.Arrays.copyOfRange(floats, i * size, (i + 1) * size), label);
                }
                kept++;
            }
        }
        ImportOptions options = new ImportOptions(name, source.directory(), "subset", null, List.of(), null, null, seed,
                0, 0, "scale", null, null, null, 0, classes, "%");
        return DatasetWriter.write(root, raw, options);
    }

    /** Every version of every data set, newest first within each name. */
    public List<DatasetManifest> list() {
        List<DatasetManifest> all = new ArrayList<>();
        for (Path nameDir : children(root)) {
            if (!nameDir.getFileName().toString().startsWith(".")) {
                versions(nameDir).forEach(d -> all.add(Json.read(d.resolve("manifest.json"), DatasetManifest.class)));
            }
        }
        all.sort(Comparator.comparing(DatasetManifest::name).thenComparing(DatasetManifest::createdAt, Comparator.reverseOrder()));
        return all;
    }

    /** Resolves {@code name} (newest version) or {@code name:version}. */
    public Dataset resolve(String ref) {
        String[] parts = ref.split(":", 2);
        Path nameDir = root.resolve(parts[0]);
        if (!Files.isDirectory(nameDir) || parts[0].startsWith(".")) {
            throw new UserException("unknown_dataset", "no data set named '" + parts[0]
                    + "'; import it first (moxing data import " + parts[0] + " --path ...) or see 'moxing data list'");
        }
        Path dir;
        if (parts.length == 2) {
            dir = nameDir.resolve(parts[1]);
            if (!Files.isDirectory(dir)) {
                throw new UserException("unknown_dataset_version", "data set '" + parts[0] + "' has no version '"
                        + parts[1] + "'; see 'moxing data show " + parts[0] + "'");
            }
        } else {
            dir = versions(nameDir).stream().findFirst().orElseThrow(() -> new UserException("unknown_dataset",
                    "data set '" + parts[0] + "' has no complete version; import it again"));
        }
        return new Dataset(Json.read(dir.resolve("manifest.json"), DatasetManifest.class), dir);
    }

    private static List<Path> versions(Path nameDir) {
        return children(nameDir).stream()
                .filter(d -> Files.isRegularFile(d.resolve("manifest.json")))
                .sorted(Comparator.comparing((Path d) -> lastModified(d.resolve("manifest.json"))).reversed())
                .toList();
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
