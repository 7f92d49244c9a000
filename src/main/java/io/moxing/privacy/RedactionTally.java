package io.moxing.privacy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Counts per kind summed over many redacted texts (the entries of a corpus). Not thread-safe. */
public final class RedactionTally {
    private final EnumMap<PiiKind, Integer> counts = Redacted.withEveryKind(Map.of());

    public void add(Redacted redacted) {
        redacted.counts().forEach((kind, n) -> counts.merge(kind, n, Integer::sum));
    }

    /** A snapshot: every kind, in declaration order. */
    public Map<PiiKind, Integer> counts() {
        return Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    /** One line for people: {@code email 3, phone 1, cn_resident_id 0, ...}. */
    public static String describe(Map<PiiKind, Integer> counts) {
        return Redacted.withEveryKind(counts).entrySet().stream()
                .map(e -> e.getKey().key() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
