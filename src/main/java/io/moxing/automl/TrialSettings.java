package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.moxing.model.ModelSpec;

/** One point of a search space: everything a trial's spec is made from. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = ImageSettings.class, name = "images"),
        @JsonSubTypes.Type(value = TableSettings.class, name = "tables")})
public sealed interface TrialSettings permits ImageSettings, TableSettings {

    /** The spec of a trial with these settings, trained for {@code shape.maxEpochs()} at most. */
    ModelSpec spec(TrialShape shape);

    /** One short line for progress and the leaderboard, e.g. "3 blocks x 64, bn, residual, dropout 0.21, crop, adamw lr 1.2e-03". */
    String describe();

    /**
     * What every trial of a search shares: its spec's name, the data's sample shape and classes, R, the seed, and
     * whether a spec that trains on flipped images asks for test-time augmentation (auto) or not (none).
     */
    record TrialShape(String name, java.util.List<Integer> input, int classes, int maxEpochs, long seed,
                      io.moxing.model.TestTimeAugmentation testTime) {}
}
