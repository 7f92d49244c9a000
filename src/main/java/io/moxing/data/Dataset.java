package io.moxing.data;

import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stored data-set version: its manifest and its directory. */
public record Dataset(DatasetManifest manifest, Path directory) {

    public boolean hasSplit(String split) {
        return manifest.splits().containsKey(split);
    }

    /** Loads a split with the manifest's normalisation applied. */
    public SplitData load(String split) {
        if (!hasSplit(split)) {
            throw new UserException("unknown_split", manifest.ref() + " has no '" + split + "' split; it has "
                    + manifest.splits().keySet());
        }
        Path x = directory.resolve(split + ".x");
        Path y = directory.resolve(split + ".y");
        if (!Files.isRegularFile(x) || !Files.isRegularFile(y)) {
            throw new UserException("corrupt_dataset", directory + ": split '" + split
                    + "' files are missing; re-import the data set");
        }
        TensorFile features = TensorFile.read(x);
        float[] values = features.toFloats();
        int channelStride = "image".equals(manifest.kind())
                ? features.sampleSize() / manifest.sampleShape().get(0) : 1;
        manifest.normalization().apply(values, features.sampleSize(), channelStride);
        long[] shape = manifest.sampleShape().stream().mapToLong(Integer::longValue).toArray();
        return new SplitData(split, values, TensorFile.read(y).toFloats(), shape);
    }
}
