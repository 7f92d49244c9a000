package io.moxing.generate;

import java.util.List;

/**
 * Finds stop sequences in text that arrives piece by piece. Text that could still turn out to be the start
 * of a stop sequence is held back until the next piece settles it, so that a stream never shows a client
 * part of a stop sequence that a non-streamed answer would have cut.
 */
public final class StopScanner {
    /** What may be shown now, and whether a stop sequence ended the text (it is not part of the text). */
    public record Step(String text, boolean stopped) {}

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopScanner(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    public Step add(String fresh) {
        if (stopped) return new Step("", true);
        pending.append(fresh);
        int at = -1;
        for (String stop : stops) {
            int i = pending.indexOf(stop);
            if (i >= 0 && (at < 0 || i < at)) at = i;
        }
        if (at >= 0) {
            String text = pending.substring(0, at);
            pending.setLength(0);
            stopped = true;
            return new Step(text, true);
        }
        int keep = heldBack();
        String text = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return new Step(text, false);
    }

    /** What was held back, once the text has ended without a stop sequence. */
    public String finish() {
        String rest = stopped ? "" : pending.toString();
        pending.setLength(0);
        return rest;
    }

    /** The length of the longest end of the pending text that begins some stop sequence. */
    private int heldBack() {
        for (int k = pending.length(); k > 0; k--) {
            String tail = pending.substring(pending.length() - k);
            for (String stop : stops) if (stop.length() > k && stop.startsWith(tail)) return k;
        }
        return 0;
    }
}
