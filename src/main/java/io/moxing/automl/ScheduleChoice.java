package io.moxing.automl;

import com.fasterxml.jackson.annotation.JsonValue;

/** The learning-rate schedules a search tries: one-cycle, and cosine decay after a warm-up of a tenth of the epochs. */
public enum ScheduleChoice {
    ONE_CYCLE("one_cycle"),
    COSINE_WARMUP("cosine");

    private final String specName;

    ScheduleChoice(String specName) {
        this.specName = specName;
    }

    /** The spec's {@code training.schedule}. */
    String specName() {
        return specName;
    }

    @JsonValue
    public String wireName() {
        return this == ONE_CYCLE ? "one-cycle" : "cosine-warmup";
    }
}
