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
    /** One usable correction, with the ids that trace it and when its row was predicted. */
    public record Correction(String feedbackId, String predictionId, String modelVersion, long predictedAtMs,
                             DerivedDataset.Extra sample) {}

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
        // one logged request opened at a time, its rows taken and the rest let go: a request can be megabytes
        Map<String, List<Feedback>> byRequest = new LinkedHashMap<>();
        for (Feedback f : newest.values()) {
            byRequest.computeIfAbsent(f.predictionId().substring(0, f.predictionId().lastIndexOf('.')),
                    r -> new ArrayList<>()).add(f);
        }
        Map<String, ModelVersion> cards = new HashMap<>();
        List<Correction> out = new ArrayList<>();
        int notLogged = 0;
        for (var entry : byRequest.entrySet()) {
            Optional<LoggedRequest> logged = store.logged(entry.getKey());
            LoggedContent content = logged.map(seal::openLog).orElse(null);
            for (Feedback f : entry.getValue()) {
                int row = Integer.parseInt(f.predictionId().substring(f.predictionId().lastIndexOf('.') + 1));
                int label = classes.indexOf(f.label());
                if (!(content instanceof LoggedContent.Tensors tensors) || row >= tensors.rows() || label < 0) {
                    notLogged++;
                    continue;
                }
                String ref = f.model() + ":" + f.version();
                ModelVersion card = cards.computeIfAbsent(ref, registry::card);
                float[] values = tensors.input(row);
                int channelStride = card.inputShape().size() == 3 ? values.length / card.inputShape().get(0) : 1;
                card.normalization().invert(values, values.length, channelStride);
                out.add(new Correction(f.id(), f.predictionId(), ref, logged.get().atMs(), new DerivedDataset.Extra(values, label)));
            }
        }
        return new Collected(out, newest.size(), notLogged);
    }
}
