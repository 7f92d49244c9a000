package io.moxing.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job does; its wire name (train, evaluate, feedback-export, retrain) is what the API, CLI and database use. */
public enum JobKind {
    TRAIN, EVALUATE, FEEDBACK_EXPORT, RETRAIN;

    @JsonCreator
    public static JobKind parse(String text) {
        for (JobKind k : values()) {
            if (k.wireName().equals(text)) return k;
        }
        throw new UserException("invalid_kind", "job kind '" + text + "' is not one of " + names());
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String names() {
        return Arrays.stream(values()).map(JobKind::wireName).collect(Collectors.joining(", "));
    }
}
