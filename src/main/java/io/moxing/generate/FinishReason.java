package io.moxing.generate;

/** Why a text ended: a stop sequence was written, the token budget ran out, or its reader went away. */
public enum FinishReason {
    STOP, LENGTH, CANCELLED;

    /** The name OpenAI's API gives it ("stop", "length"). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
