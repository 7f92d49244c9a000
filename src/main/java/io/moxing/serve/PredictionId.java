package io.moxing.serve;

import java.util.Optional;

/**
 * The id of one predicted row: the id of the request that carried it (the one its usage record is metered
 * under) and the row's place in that request, written {@code REQUEST.ROW} (e.g.
 * {@code 3f0c…e1.0}). Derived, not stored: the request id alone finds the usage record, the row number the
 * row, so feedback can name a single row of a batched request without a table of row ids.
 */
public record PredictionId(String request, int row) {
    public PredictionId {
        if (request == null || request.isEmpty() || request.indexOf('.') >= 0 || row < 0) {
            throw new IllegalArgumentException("a prediction id needs a request id without '.' and a row >= 0");
        }
    }

    /** {@code REQUEST.ROW}. */
    @Override
    public String toString() {
        return request + "." + row;
    }

    /** The id a client sent back; empty when it is not of the form {@code REQUEST.ROW}. */
    public static Optional<PredictionId> parse(String text) {
        if (text == null) return Optional.empty();
        int dot = text.lastIndexOf('.');
        if (dot <= 0 || dot == text.length() - 1 || text.length() - dot > 8) return Optional.empty();
        for (int i = dot + 1; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) return Optional.empty();
        }
        String request = text.substring(0, dot);
        if (request.indexOf('.') >= 0) return Optional.empty();
        return Optional.of(new PredictionId(request, Integer.parseInt(text.substring(dot + 1))));
    }
}
