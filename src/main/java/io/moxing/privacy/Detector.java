package io.moxing.privacy;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One way of finding a kind: a pattern that finds candidates, the group of a match that is the
 * candidate (0: all of it), and the check a candidate must pass to count (a checksum, a date, octets).
 * Patterns carry their own boundaries, and every repetition in them is bounded and unambiguous, so a
 * scan costs a bounded amount of work per position whatever the text (no catastrophic backtracking,
 * no deep recursion). Each opens with a lookahead on its first character: a position that cannot
 * start a candidate then costs one character test, where the boundary lookbehinds cost several
 * times that at every position of ordinary text.
 */
record Detector(PiiKind kind, Pattern candidates, int group, Predicate<String> check) {
    /** A detector whose pattern alone decides. */
    static Detector of(PiiKind kind, String regex) {
        return of(kind, regex, candidate -> true);
    }

    static Detector of(PiiKind kind, String regex, Predicate<String> check) {
        return new Detector(kind, Pattern.compile(regex), 0, check);
    }
}
