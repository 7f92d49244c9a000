package io.moxing.data;

import io.moxing.core.Task;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one immutable data-set version. {@code version} is the first 12 hex
 * digits of {@code sha256}, the digest of every data file, so the same content always has the same
 * version and a changed file is a new version.
 *
 * @param kind        {@code image}, {@code table} or {@code text}
 * @param sampleShape the shape of one sample's features (images: channels, height, width)
 * @param classes     class names in label order; empty for regression and text
 * @param splits      samples per split (train, validation, test)
 */
public record DatasetManifest(
        int formatVersion,
        String name,
        String version,
        String sha256,
        String kind,
        String source,
        String createdAt,
        List<Integer> sampleShape,
        DType dtype,
        Task task,
        List<String> classes,
        List<String> featureNames,
        Map<String, Integer> splits,
        Normalization normalization,
        CleaningReport cleaning,
        Map<String, String> options) {

    public static final int FORMAT_VERSION = 1;

    public String ref() {
        return name + ":" + version;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isClassification() {
        return task == Task.CLASSIFICATION;
    }

    public int sampleSize() {
        return sampleShape.stream().reduce(1, Math::multiplyExact);
    }
}
