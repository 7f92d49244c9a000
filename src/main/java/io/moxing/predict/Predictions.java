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
        int best = ranked(probabilities).get(0);
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

    /** Class indices from the most to the least likely. */
    public static List<Integer> ranked(float[] probabilities) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) order.add(i);
        order.sort(Comparator.comparingDouble(i -> -probabilities[i]));
        return order;
    }
}
