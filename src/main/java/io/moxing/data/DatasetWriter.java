package io.moxing.data;

import io.moxing.core.AtomicFiles;
import io.moxing.core.Hashing;
import io.moxing.core.Json;
import io.moxing.core.Task;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what an importer read into a stored, immutable data-set version: removes duplicates,
 * makes deterministic splits from the seed, computes the normalisation on the training split,
 * writes everything to a staging directory, hashes it and renames it into place.
 */
final class DatasetWriter {
    static final List<String> SPLITS = List.of("train", "validation", "test");

    private DatasetWriter() {}

    static DatasetManifest write(Path datasetsRoot, RawDataset raw, ImportOptions options) {
        Path staging = AtomicFiles.stagingDirectory(datasetsRoot);
        try {
            return "text".equals(raw.kind) ? writeText(datasetsRoot, staging, raw, options)
                    : writeSamples(datasetsRoot, staging, raw, options);
        } finally {
            // committed: already moved away; failed: nothing half-written stays behind
            AtomicFiles.deleteRecursively(staging);
        }
    }

    private static DatasetManifest writeSamples(Path datasetsRoot, Path staging, RawDataset raw, ImportOptions options) {
        long[] removed = {0};
        Map<String, SampleSet> deduplicated = new LinkedHashMap<>();
        raw.partitions().forEach((name, set) -> deduplicated.put(name, deduplicate(set, removed)));
        Map<String, SampleSet> splits = split(deduplicated, options);
        long overlap = splits.containsKey("test") ? overlap(splits.get("train"), splits.get("test")) : 0;
        long[] sampleShape = raw.sampleShape.stream().mapToLong(Integer::longValue).toArray();
        Normalization normalization = raw.fixedNormalization != null ? raw.fixedNormalization
                : normalization(raw, splits.get("train"), options.normalize());
        List<String> files = new ArrayList<>();
        raw.extraFiles.forEach((name, bytes) -> {
            try {
                // the staging directory is committed whole, so a plain write is atomic enough here
                java.nio.file.Files.write(staging.resolve(name), bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            files.add(name);
        });
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (var e : splits.entrySet()) {
            e.getValue().features(sampleShape).write(staging.resolve(e.getKey() + ".x"));
            e.getValue().labelTensor().write(staging.resolve(e.getKey() + ".y"));
            files.add(e.getKey() + ".x");
            files.add(e.getKey() + ".y");
            counts.put(e.getKey(), e.getValue().count());
        }
        CleaningReport report = report(raw, counts, removed[0], overlap, labelDistribution(raw, splits));
        return commit(datasetsRoot, staging, files, raw, options, splits.get("train").dtype(), counts, normalization, report);
    }

    /** Text corpora: entries deduplicated, then split by whole entries at random (never by position). */
    private static DatasetManifest writeText(Path datasetsRoot, Path staging, RawDataset raw, ImportOptions options) {
        List<String> entries = new ArrayList<>(new java.util.LinkedHashSet<>(raw.textPartition(RawDataset.ALL)));
        long removed = raw.textPartition(RawDataset.ALL).size() - entries.size();
        if (entries.isEmpty()) {
            throw new io.moxing.core.UserException("empty_corpus", options.path()
                    + ": no text entries found; check the path and the separator (--separator)");
        }
        int[] order = Permutations.of(entries.size(), options.seed());
        int nVal = (int) Math.round(entries.size() * options.validationFraction());
        int nTest = (int) Math.round(entries.size() * options.testFraction());
        Map<String, List<String>> splits = new LinkedHashMap<>();
        for (int k = 0; k < order.length; k++) {
            String split = k < nVal ? "validation" : k < nVal + nTest ? "test" : "train";
            splits.computeIfAbsent(split, s -> new ArrayList<>()).add(entries.get(order[k]));
        }
        List<String> files = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String split : SPLITS) {
            if (splits.containsKey(split)) {
                AtomicFiles.writeString(staging.resolve(split + ".txt"), String.join(TEXT_SEPARATOR, splits.get(split)));
                files.add(split + ".txt");
                counts.put(split, splits.get(split).size());
            }
        }
        CleaningReport report = report(raw, counts, removed, 0, Map.of());
        return commit(datasetsRoot, staging, files, raw, options, null, counts, null, report);
    }

    /** Between two entries of a stored text split. */
    static final String TEXT_SEPARATOR = "\n\u001E\n";

    private static CleaningReport report(RawDataset raw, Map<String, Integer> counts, long removed, long overlap,
                                         Map<String, Map<String, Integer>> labels) {
        long kept = counts.values().stream().mapToLong(Integer::longValue).sum();
        return new CleaningReport(raw.read, kept, removed, raw.unreadable, List.copyOf(raw.skippedExamples),
                raw.missingValues, raw.missingPolicy, raw.rowsDroppedForMissing, overlap, labels,
                raw.piiRedacted == null ? null : raw.piiRedacted.counts());
    }

    private static DatasetManifest commit(Path datasetsRoot, Path staging, List<String> files, RawDataset raw,
                                          ImportOptions options, DType dtype, Map<String, Integer> counts,
                                          Normalization normalization, CleaningReport report) {
        String sha = Hashing.sha256(staging, files);
        DatasetManifest manifest = new DatasetManifest(DatasetManifest.FORMAT_VERSION, options.name(),
                sha.substring(0, 12), sha, raw.kind, raw.source, Instant.now().toString(), raw.sampleShape,
                dtype, raw.task, raw.classes, raw.featureNames, counts, normalization, report, recorded(options, raw));
        AtomicFiles.writeJson(staging.resolve("manifest.json"), manifest);
        Path target = datasetsRoot.resolve(options.name()).resolve(manifest.version());
        if (!AtomicFiles.commitDirectory(staging, target)) {
            // Same content imported before: that version stands, unchanged.
            return Json.read(target.resolve("manifest.json"), DatasetManifest.class);
        }
        return manifest;
    }

    private static Map<String, String> recorded(ImportOptions options, RawDataset raw) {
        Map<String, String> m = new java.util.TreeMap<>(options.recorded());
        m.putAll(raw.derivation);
        return m;
    }

    private static SampleSet deduplicate(SampleSet set, long[] removed) {
        SampleSet out = new SampleSet(set.dtype(), set.sampleSize());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < set.count(); i++) {
            if (seen.add(Hashing.sha256(set.identity(i)))) {
                out.addFrom(set, i);
            } else {
                removed[0]++;
            }
        }
        return out;
    }

    /** Keeps the source's own splits and carves the missing ones from train (or from all) by seed. */
    private static Map<String, SampleSet> split(Map<String, SampleSet> parts, ImportOptions options) {
        Map<String, SampleSet> out = new LinkedHashMap<>();
        SampleSet pool = parts.containsKey(RawDataset.ALL) ? parts.get(RawDataset.ALL) : parts.get("train");
        if (pool == null || pool.count() == 0) {
            throw new io.moxing.core.UserException("empty_dataset", options.path()
                    + ": no usable samples found; check the path and --format");
        }
        int n = pool.count();
        int[] order = Permutations.of(n, options.seed());
        double valFraction = parts.containsKey("validation") ? 0 : options.validationFraction();
        double testFraction = parts.containsKey("test") ? 0 : options.testFraction();
        int nVal = (int) Math.round(n * valFraction);
        int nTest = (int) Math.round(n * testFraction);
        SampleSet train = new SampleSet(pool.dtype(), pool.sampleSize());
        SampleSet val = parts.getOrDefault("validation", new SampleSet(pool.dtype(), pool.sampleSize()));
        SampleSet test = parts.getOrDefault("test", new SampleSet(pool.dtype(), pool.sampleSize()));
        for (int k = 0; k < n; k++) {
            int i = order[k];
            SampleSet target = k < nVal ? val : k < nVal + nTest ? test : train;
            target.addFrom(pool, i);
        }
        out.put("train", train);
        if (val.count() > 0) out.put("validation", val);
        if (test.count() > 0) out.put("test", test);
        return out;
    }

    private static long overlap(SampleSet train, SampleSet test) {
        Set<String> trainFeatures = new HashSet<>();
        for (int i = 0; i < train.count(); i++) {
            trainFeatures.add(Hashing.sha256(train.featureIdentity(i)));
        }
        long overlap = 0;
        for (int i = 0; i < test.count(); i++) {
            if (trainFeatures.contains(Hashing.sha256(test.featureIdentity(i)))) {
                overlap++;
            }
        }
        return overlap;
    }

    /** Images: scale to [0,1], optionally standardise per channel. Tables: standardise per feature. */
    private static Normalization normalization(RawDataset raw, SampleSet train, String mode) {
        boolean image = "image".equals(raw.kind);
        String how = mode != null ? mode : image ? "scale" : "standardize";
        float scale = image ? 1f / 255f : 1f;
        if ("none".equals(how)) {
            return Normalization.scaleOnly(1f);
        }
        if ("scale".equals(how)) {
            return Normalization.scaleOnly(scale);
        }
        int groups = image ? raw.sampleShape.get(0) : train.sampleSize();
        int stride = image ? train.sampleSize() / groups : 1;
        double[] sum = new double[groups];
        double[] sq = new double[groups];
        for (int i = 0; i < train.count(); i++) {
            for (int k = 0; k < train.sampleSize(); k++) {
                int g = image ? k / stride : k;
                double v = train.value(i, k) * scale;
                sum[g] += v;
                sq[g] += v * v;
            }
        }
        double perGroup = (double) train.count() * stride;
        float[] mean = new float[groups];
        float[] std = new float[groups];
        for (int g = 0; g < groups; g++) {
            double m = sum[g] / perGroup;
            mean[g] = (float) m;
            double var = Math.max(0, sq[g] / perGroup - m * m);
            std[g] = var < 1e-12 ? 1f : (float) Math.sqrt(var);
        }
        return new Normalization(scale, mean, std);
    }

    private static Map<String, Map<String, Integer>> labelDistribution(RawDataset raw, Map<String, SampleSet> splits) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        if (raw.task != Task.CLASSIFICATION) {
            return out;
        }
        splits.forEach((name, set) -> {
            Map<String, Integer> counts = new TreeMap<>();
            for (float label : set.labels()) {
                counts.merge(raw.classes.get((int) label), 1, Integer::sum);
            }
            out.put(name, counts);
        });
        return out;
    }
}
