package io.moxing.drift;

import io.moxing.core.UserException;
import io.moxing.data.Dataset;
import io.moxing.data.DatasetStore;
import io.moxing.data.TensorFile;
import io.moxing.registry.ModelVersion;
import io.moxing.registry.Provenance;

/**
 * How the inputs of a model version were distributed in its training data: bin edges of the per-sample
 * mean input value (the mean normalised pixel intensity of an image, the mean normalised feature of a
 * row), cut at the training split's deciles, and each bin's share of it (about 10% each).
 *
 * @param edges    the {@code BINS − 1} bin edges, ascending
 * @param expected each bin's share of the training rows
 */
public record InputReference(double[] edges, double[] expected) {
    public static final int BINS = 10;
    /** Training rows read at most (evenly spread over the split): enough for decile edges, quick to load. */
    public static final int MAX_ROWS = 10_000;

    /** The reference of these per-sample means. */
    public static InputReference of(double[] sampleMeans) {
        double[] edges = PopulationStability.quantileEdges(sampleMeans, BINS);
        return new InputReference(edges, PopulationStability.shares(edges, sampleMeans));
    }

    /**
     * The reference of {@code card}, from the training split of the data-set version its provenance names,
     * normalised as served; a {@link UserException} saying why when that data set is not in {@code datasets}.
     */
    public static InputReference of(ModelVersion card, Provenance provenance, DatasetStore datasets) {
        if (provenance.dataset() == null) {
            throw new UserException("unknown_dataset", card.ref() + " names no training data set");
        }
        String ref = provenance.dataset().name() + ":" + provenance.dataset().version();
        Dataset dataset = datasets.resolve(ref);
        if (!dataset.hasSplit("train") || "text".equals(dataset.manifest().kind())) {
            throw new UserException("unknown_split", ref + " has no training split of images or rows");
        }
        TensorFile x = TensorFile.read(dataset.directory().resolve("train.x"));
        int size = x.sampleSize();
        int channelStride = card.inputShape().size() == 3 ? size / card.inputShape().get(0) : 1;
        int rows = Math.min(x.count(), MAX_ROWS);
        float[] row = new float[size];
        double[] means = new double[rows];
        for (int i = 0; i < rows; i++) {
            x.sample((int) ((long) i * x.count() / rows), row);
            // the normalisation the server applies to what it is sent, so both sides are measured alike
            card.normalization().apply(row, size, channelStride);
            means[i] = mean(row);
        }
        return of(means);
    }

    /**
     * The statistic binned: the mean of a sample's values. Summed in four running sums: one sum waits for each
     * addition before the next (0.65 µs for a 28×28 image, paid by the serving batch thread for every row), four
     * let the processor overlap them (0.22–0.42 µs). Training rows and served rows are summed alike.
     */
    public static double mean(float[] sample) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < sample.length; i += 4) {
            s0 += sample[i];
            s1 += sample[i + 1];
            s2 += sample[i + 2];
            s3 += sample[i + 3];
        }
        for (; i < sample.length; i++) s0 += sample[i];
        return (s0 + s1 + s2 + s3) / sample.length;
    }
}
