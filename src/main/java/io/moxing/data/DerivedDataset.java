package io.moxing.data;

import io.moxing.core.Hashing;
import io.moxing.core.UserException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A new data-set version made of a stored one plus extra labelled training samples (users' corrections):
 * the base's splits are kept as they are, its normalisation too, and an extra sample joins the training
 * split only if it is not already in the base's validation or test split (those stay frozen: a model is
 * gated and judged on data it never trained on) nor a repeat of another extra sample.
 */
public final class DerivedDataset {
    /** One extra training sample in the base's raw units (0-255 pixels for images), with its class index. */
    public record Extra(float[] values, int label) {}

    /** The version made, and what happened to the extra samples offered. */
    public record Result(DatasetManifest manifest, String base, int offered, int added, int inValidation, int inTest,
                         int repeated) {}

    private DerivedDataset() {}

    /**
     * Stores {@code base} plus {@code extras} as a new version of data set {@code name}. {@code derivation}
     * is recorded in the manifest's options; {@code files} (such as a provenance list) are stored with it.
     */
    public static Result write(Path datasetsRoot, String name, Dataset base, List<Extra> extras, String source,
                               Map<String, String> derivation, Map<String, byte[]> files) {
        return write(datasetsRoot, name, base, i -> true, extras, source, derivation, files);
    }

    /**
     * As {@link #write(Path, String, Dataset, List, String, Map, Map)}, keeping only the base's training
     * samples whose index {@code keepTrain} accepts (validation and test are always kept whole).
     */
    public static Result write(Path datasetsRoot, String name, Dataset base, java.util.function.IntPredicate keepTrain,
                               List<Extra> extras, String source, Map<String, String> derivation, Map<String, byte[]> files) {
        DatasetManifest m = base.manifest();
        if ("text".equals(m.kind())) {
            throw new UserException("wrong_data_kind", m.ref() + " is a text corpus; corrections are added to image and table"
                    + " data sets");
        }
        RawDataset raw = new RawDataset(m.kind(), source, m.sampleShape(), m.task(), m.classes(), m.featureNames());
        raw.fixedNormalization = m.normalization();
        Map<String, SampleSet> splits = new LinkedHashMap<>();
        for (String split : m.splits().keySet()) {
            TensorFile x = TensorFile.read(base.directory().resolve(split + ".x"));
            float[] y = TensorFile.read(base.directory().resolve(split + ".y")).toFloats();
            SampleSet set = raw.partition(split, x.dtype());
            float[] floats = x.dtype() == DType.FLOAT32 ? x.toFloats() : null;
            int size = x.sampleSize();
            boolean train = split.equals("train");
            for (int i = 0; i < y.length; i++) {
                if (train && !keepTrain.test(i)) continue;
                raw.countRead();
                if (x.dtype() == DType.UINT8) {
                    byte[] sample = new byte[size];
                    x.data().duplicate().position(x.data().position() + i * size).get(sample);
                    set.add(sample, y[i]);
                } else {
                    set.add(java.util.Arrays.copyOfRange(floats, i * size, (i + 1) * size), y[i]);
                }
            }
            splits.put(split, set);
        }
        Set<String> validation = featureHashes(splits.get("validation"));
        Set<String> test = featureHashes(splits.get("test"));
        Set<String> seen = new HashSet<>();
        SampleSet train = splits.get("train");
        int added = 0, inValidation = 0, inTest = 0, repeated = 0;
        for (Extra e : extras) {
            if (e.values().length != m.sampleSize()) {
                throw new UserException("shape_mismatch", "a corrected sample has " + e.values().length + " values; "
                        + m.ref() + " samples have " + m.sampleSize());
            }
            SampleSet one = new SampleSet(train.dtype(), train.sampleSize());
            if (train.dtype() == DType.UINT8) {
                byte[] b = new byte[e.values().length];
                for (int k = 0; k < b.length; k++) b[k] = (byte) Math.max(0, Math.min(255, Math.round(e.values()[k])));
                one.add(b, e.label());
            } else {
                one.add(e.values(), e.label());
            }
            String h = Hashing.sha256(one.featureIdentity(0));
            if (test.contains(h)) {
                inTest++;
            } else if (validation.contains(h)) {
                inValidation++;
            } else if (!seen.add(h)) {
                repeated++;
            } else {
                train.addFrom(one, 0);
                raw.countRead();
                added++;
            }
        }
        raw.derivation.put("base", m.ref());
        raw.derivation.putAll(derivation);
        raw.extraFiles.putAll(files);
        ImportOptions options = new ImportOptions(name, base.directory(), "derived", null, List.of(), null, null, 0, 0, 0,
                null, null, null, null, 0, m.classes(), "%", false);
        DatasetManifest made = DatasetWriter.write(datasetsRoot, raw, options);
        return new Result(made, m.ref(), extras.size(), added, inValidation, inTest, repeated);
    }

    private static Set<String> featureHashes(SampleSet set) {
        Set<String> out = new HashSet<>();
        if (set == null) return out;
        for (int i = 0; i < set.count(); i++) out.add(Hashing.sha256(set.featureIdentity(i)));
        return out;
    }
}
