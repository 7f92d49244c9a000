package io.moxing.privacy;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A text with its personal data replaced, and how many of each kind were replaced. Every kind has a
 * count, zero included, so a reader tells "none found" from "not looked for".
 */
public record Redacted(String text, Map<PiiKind, Integer> counts) {
    public Redacted {
        counts = Collections.unmodifiableMap(withEveryKind(counts));
    }

    public int count(PiiKind kind) {
        return counts.get(kind);
    }

    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    static EnumMap<PiiKind, Integer> withEveryKind(Map<PiiKind, Integer> counts) {
        EnumMap<PiiKind, Integer> all = new EnumMap<>(PiiKind.class);
        for (PiiKind kind : PiiKind.values()) {
            all.put(kind, counts.getOrDefault(kind, 0));
        }
        return all;
    }
}
