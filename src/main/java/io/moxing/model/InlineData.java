package io.moxing.model;

import io.moxing.core.UserException;

/** A small data set written into the spec itself, as the toy MLP's reference code does. */
public record InlineData(float[][] x, float[][] y) {
    public InlineData {
        if (x == null || y == null || x.length == 0 || x.length != y.length) {
            throw new UserException("invalid_spec", "data.x and data.y must be non-empty lists of rows of the same length");
        }
        for (float[][] rows : new float[][][] {x, y}) {
            for (float[] row : rows) {
                if (row.length != rows[0].length) {
                    throw new UserException("invalid_spec", "data.x and data.y rows must all have the same width");
                }
            }
        }
    }
}
