package io.moxing.predict;

import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model output as people and clients read it: for a classifier the most likely class, its
 * probability and every class's probability by label; for a regression model the value(s).
 */
public final class Predictions {
    private Predictions() {}

    public static Map<String, Object> describe(float[] output, ModelVersion card) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!card.task().isClassification()) {
            p.put("value", output.length == 1 ? output[0] : output);
            return p;
        }
        float[] probabilities = classProbabilities(output);
        int best = best(probabilities);
        p.put("label", card.classes().get(best));
        p.put("class", best);
        p.put("probability", probabilities[best]);
        Map<String, Float> all = new LinkedHashMap<>();
        for (int i = 0; i < probabilities.length; i++) all.put(card.classes().get(i), probabilities[i]);
        p.put("probabilities", all);
        return p;
    }

    /** A classifier's output as one probability per class: a single sigmoid output p becomes (1 - p, p). */
    public static float[] classProbabilities(float[] output) {
        return output.length == 1 ? new float[] {1 - output[0], output[0]} : output;
    }

    /**
     * The most likely class: the first of {@link #ranked}, found in one pass (the serving path asks for it on every
     * row, and sorting boxed indices for it showed in its profile).
     */
    public static int best(float[] probabilities) {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            // the order ranked sorts by, NaN last; a tie keeps the earlier class, as the stable sort does
            if (Double.compare(-probabilities[i], -probabilities[best]) < 0) best = i;
        }
        return best;
    }

    /** Class indices from the most to the least likely. */
    public static List<Integer> ranked(float[] probabilities) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) order.add(i);
        order.sort(Comparator.comparingDouble(i -> -probabilities[i]));
        return order;
    }
}
