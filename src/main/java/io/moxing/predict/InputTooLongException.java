package io.moxing.predict;

import io.moxing.core.UserException;

/** A text with more tokens than a sentence encoder takes: refused whole, as OpenAI refuses it, never cut short. */
public final class InputTooLongException extends UserException {
    private final int index;

    public InputTooLongException(int index, int tokens, int maxTokens) {
        super("input_too_long", "input[" + index + "] is " + tokens + " tokens long; this model takes at most " + maxTokens
                + " per text (its special tokens included): shorten it or split it into several inputs");
        this.index = index;
    }

    /** Which of the request's texts is too long. */
    public int index() {
        return index;
    }
}
