package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;
import java.util.Arrays;

/**
 * What the final model trains on when the winner's settings are trained again (its trials saw a subset of the
 * training split). Selection always uses the validation split alone; after it, the validation samples have done
 * their job, and training on them too gives the final model 11% more data on a 90/10 split (AutoGluon's
 * "refit_full"). The final run then has no validation curve of its own: the search reports the validation accuracy
 * on which the winner was chosen (its trial's), and the test split still sees one evaluation. When trials saw every
 * training sample the winner's trial run is the final model and this does not apply.
 */
public enum FinalData {
    /** The training split; the final run is validated after every epoch. */
    TRAIN("train"),
    /** The training and validation splits together. */
    TRAIN_AND_VALIDATION("train+validation");

    private final String wireName;

    FinalData(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static FinalData parse(String name) {
        return Arrays.stream(values()).filter(d -> d.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new UserException("invalid_option", "--final-data " + name
                        + " must be train or train+validation"));
    }
}
