package io.moxing.data;

import io.moxing.core.UserException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A stored data-set version: its manifest and its directory. */
public record Dataset(DatasetManifest manifest, Path directory) {

    public boolean hasSplit(String split) {
        return manifest.splits().containsKey(split);
    }

    /**
     * Sample {@code index} of an image split as a picture (the stored pixels, before normalisation),
     * with its label: for trying a model on a real input.
     */
    public LabelledImage image(String split, int index) {
        if (!"image".equals(manifest.kind()) || !hasSplit(split)) {
            throw new UserException("not_images", manifest.ref() + " has no image split '" + split + "'");
        }
        TensorFile x = TensorFile.read(directory.resolve(split + ".x"));
        if (index < 0 || index >= x.count()) {
            throw new UserException("invalid_option", "--index " + index + " is outside 0.." + (x.count() - 1));
        }
        int c = manifest.sampleShape().get(0), h = manifest.sampleShape().get(1), w = manifest.sampleShape().get(2);
        int from = x.data().position() + index * x.sampleSize();
        // a one-channel set's picture is grey, as its samples are: drawn as RGB it became a colour PNG of three equal
        // channels, three times the pixels for a client to send and for a server to inflate and fold back to one
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(w, h, c == 1
                ? java.awt.image.BufferedImage.TYPE_BYTE_GRAY : java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int col = 0; col < w; col++) {
                int at = from + y * w + col;
                if (c == 1) {
                    // the raster's sample, not setRGB: Java would take the grey through its sRGB curve
                    image.getRaster().setSample(col, y, 0, x.data().get(at) & 0xFF);
                } else {
                    int r = x.data().get(at) & 0xFF, g = x.data().get(at + h * w) & 0xFF, b = x.data().get(at + 2 * h * w) & 0xFF;
                    image.setRGB(col, y, r << 16 | g << 8 | b);
                }
            }
        }
        float label = TensorFile.read(directory.resolve(split + ".y")).toFloats()[index];
        return new LabelledImage(image, manifest.classes().get((int) label));
    }

    /** A picture from a data set and its class name. */
    public record LabelledImage(java.awt.image.BufferedImage image, String label) {}

    /** The entries of a text split, in stored order. */
    public java.util.List<String> texts(String split) {
        if (!"text".equals(manifest.kind()) || !hasSplit(split)) {
            throw new UserException("unknown_split", manifest.ref() + " has no text split '" + split + "'");
        }
        try {
            String all = java.nio.file.Files.readString(directory.resolve(split + ".txt"));
            return java.util.List.of(all.split(java.util.regex.Pattern.quote(DatasetWriter.TEXT_SEPARATOR)));
        } catch (java.io.IOException e) {
            throw new UserException("corrupt_dataset", directory + ": split '" + split + "' cannot be read ("
                    + e.getMessage() + "); re-import the data set", e);
        }
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
