package io.moxing.jobs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.moxing.core.UserException;
import java.util.Locale;

/** Where a job is: waiting, held by a worker, or finished one of three ways. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    @JsonCreator
    public static JobState parse(String text) {
        for (JobState s : values()) {
            if (s.wireName().equals(text)) return s;
        }
        throw new UserException("invalid_state", "job state '" + text
                + "' is not one of queued, running, succeeded, failed, cancelled");
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
