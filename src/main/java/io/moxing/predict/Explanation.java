package io.moxing.predict;

import java.util.List;
import java.util.Map;

/** Why a model answered as it did (see {@link Predictor#explain}). */
public sealed interface Explanation {
    /** An occlusion map: rows x cols of the drops of {@code classIndex}'s probability, in image order. */
    record Occlusion(int classIndex, double probability, double[][] drop, int patch, int stride) implements Explanation {}

    /** Per-feature attributions of a row: output(row) - output(row with the feature zeroed). */
    record Attributions(List<Map<String, Object>> features) implements Explanation {}
}
