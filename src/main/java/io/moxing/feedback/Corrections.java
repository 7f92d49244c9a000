package io.moxing.feedback;

import io.moxing.data.DerivedDataset;
import io.moxing.registry.ModelRegistry;
import io.moxing.registry.ModelVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The labelled feedback of a deployment turned into training samples: each correction's logged input row,
 * back in the data set's raw units, with the class the user gave. One sample per predicted row (the newest
 * label wins). A correction whose input was not logged, or whose log entry has expired, cannot be used.
 */
public final class Corrections {
    /** One usable correction, with the ids that trace it. */
    public record Correction(String feedbackId, String predictionId, String modelVersion, DerivedDataset.Extra sample) {}

    /** The usable corrections, and how many labelled items could not be used because their inputs were not kept. */
    public record Collected(List<Correction> corrections, int labelled, int notLogged) {}

    private Corrections() {}

    /** The corrections of {@code deployment} given in [fromMs, toMs), labels as indices into {@code classes}. */
    public static Collected collect(FeedbackStore store, FeedbackSeal seal, ModelRegistry registry, String deployment,
                                    List<String> classes, long fromMs, long toMs) {
        Map<String, Feedback> newest = new LinkedHashMap<>();
        for (FeedbackRow row : store.feedback(deployment, null, fromMs, toMs, Integer.MAX_VALUE)) {
            if (!row.hasLabel()) continue;
            newest.put(row.predictionId(), seal.open(row));
        }
        Map<String, Optional<LoggedContent>> requests = new HashMap<>();
        Map<String, ModelVersion> cards = new HashMap<>();
        List<Correction> out = new ArrayList<>();
        int notLogged = 0;
        for (Feedback f : newest.values()) {
            int dot = f.predictionId().lastIndexOf('.');
            String request = f.predictionId().substring(0, dot);
            int row = Integer.parseInt(f.predictionId().substring(dot + 1));
            Optional<LoggedContent> content = requests.computeIfAbsent(request,
                    r -> store.logged(r).map(seal::openLog));
            int label = classes.indexOf(f.label());
            if (content.isEmpty() || !(content.get() instanceof LoggedContent.Tensors tensors) || row >= tensors.rows()
                    || label < 0) {
                notLogged++;
                continue;
            }
            String ref = f.model() + ":" + f.version();
            ModelVersion card = cards.computeIfAbsent(ref, registry::card);
            float[] values = tensors.input(row);
            int channelStride = card.inputShape().size() == 3 ? values.length / card.inputShape().get(0) : 1;
            card.normalization().invert(values, values.length, channelStride);
            out.add(new Correction(f.id(), f.predictionId(), ref, new DerivedDataset.Extra(values, label)));
        }
        return new Collected(out, newest.size(), notLogged);
    }
}
