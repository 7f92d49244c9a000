package io.moxing.data;

import java.util.List;
import java.util.Map;

/**
 * What an import did to the source: rows or images read, skipped (with the first reasons),
 * duplicates removed, missing values dropped or filled, and the label distribution per split.
 */
public record CleaningReport(
        long read,
        long kept,
        long duplicatesRemoved,
        long unreadableSkipped,
        List<String> skippedExamples,
        long missingValues,
        String missingPolicy,
        long rowsDroppedForMissing,
        long trainTestOverlap,
        Map<String, Map<String, Integer>> labelDistribution) {}
