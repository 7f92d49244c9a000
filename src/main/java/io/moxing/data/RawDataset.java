package io.moxing.data;

import io.moxing.core.Task;
import io.moxing.privacy.RedactionTally;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an importer read from a source, before cleaning, splitting and storing. Partitions are the
 * source's own splits ({@code train}, {@code validation}, {@code test}) or a single {@code all}.
 */
public final class RawDataset {
    public static final String ALL = "all";
    private static final int MAX_EXAMPLES = 10;

    final String kind;
    final String source;
    final List<Integer> sampleShape;
    final Task task;
    final List<String> classes;
    final List<String> featureNames;
    final Map<String, SampleSet> partitions = new LinkedHashMap<>();
    final Map<String, List<String>> texts = new LinkedHashMap<>();
    final List<String> skippedExamples = new ArrayList<>();
    long read;
    long unreadable;
    long missingValues;
    long rowsDroppedForMissing;
    String missingPolicy = "none";
    /** What redaction replaced; null when the import did not redact. */
    RedactionTally piiRedacted;
    /** A derived version's normalisation, kept from its base so models trained on either read inputs alike; null: computed. */
    Normalization fixedNormalization;
    /** What a derived version records beside the import options (its base, what was added). */
    final Map<String, String> derivation = new LinkedHashMap<>();
    /** Files stored with the data (a derivation's provenance), part of the version's hash. */
    final Map<String, byte[]> extraFiles = new LinkedHashMap<>();

    public RawDataset(String kind, String source, List<Integer> sampleShape, Task task,
                      List<String> classes, List<String> featureNames) {
        this.kind = kind;
        this.source = source;
        this.sampleShape = List.copyOf(sampleShape);
        this.task = task;
        this.classes = List.copyOf(classes);
        this.featureNames = List.copyOf(featureNames);
    }

    public SampleSet partition(String name, DType dtype) {
        int size = sampleShape.stream().reduce(1, Math::multiplyExact);
        return partitions.computeIfAbsent(name, k -> new SampleSet(dtype, size));
    }

    /** Text entries of a partition, for text corpora. */
    public List<String> textPartition(String name) {
        return texts.computeIfAbsent(name, k -> new ArrayList<>());
    }

    /** Counts one sample read from the source. */
    public void countRead() {
        read++;
    }

    /** Counts a sample that could not be read, keeping the first few reasons for the report. */
    public void skip(String reason) {
        unreadable++;
        if (skippedExamples.size() < MAX_EXAMPLES) {
            skippedExamples.add(reason);
        }
    }

    /** Adds counts gathered before this data set existed (while a table was parsed). */
    void absorb(ImportCounter counter) {
        read += counter.read;
        unreadable += counter.skipped;
        for (String example : counter.examples) {
            if (skippedExamples.size() < MAX_EXAMPLES) {
                skippedExamples.add(example);
            }
        }
    }

    public void missing(long values, long droppedRows, String policy) {
        missingValues += values;
        rowsDroppedForMissing += droppedRows;
        missingPolicy = policy;
    }

    public Map<String, SampleSet> partitions() {
        return partitions;
    }

    public List<String> classes() {
        return classes;
    }
}
