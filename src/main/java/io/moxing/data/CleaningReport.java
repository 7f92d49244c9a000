package io.moxing.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.moxing.privacy.PiiKind;
import java.util.List;
import java.util.Map;

/**
 * What an import did to the source: rows or images read, skipped (with the first reasons),
 * duplicates removed, missing values dropped or filled, the label distribution per split, and for a
 * corpus imported with {@code --redact-pii} how many of each kind of personal data were replaced
 * ({@code piiRedacted}: absent when the import did not redact, zeros included when it did).
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
        Map<String, Map<String, Integer>> labelDistribution,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<PiiKind, Integer> piiRedacted) {}
