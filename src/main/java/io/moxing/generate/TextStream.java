package io.moxing.generate;

import io.moxing.text.Tokenizer;
import java.util.Arrays;

/**
 * Turns generated tokens into text as they arrive. A byte-level token can end in the middle of a
 * UTF-8 character; such a tail is held back until the next token completes it, so the terminal
 * never shows half a character.
 */
public final class TextStream {
    private static final char REPLACEMENT = '\uFFFD';
    private final Tokenizer tokenizer;
    private int[] tokens = new int[16];
    private int count;
    private int emitted;

    public TextStream(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The text that became complete with this token (possibly empty). */
    public String add(int token) {
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
        tokens[count++] = token;
        String text = tokenizer.decode(Arrays.copyOf(tokens, count));
        int end = text.length();
        // hold back a trailing partial character (at most 3 bytes of one)
        while (end > emitted && end > text.length() - 3 && text.charAt(end - 1) == REPLACEMENT && !"char".equals(tokenizer.kind())) {
            end--;
        }
        String fresh = text.substring(Math.min(emitted, end), end);
        emitted = Math.max(emitted, end);
        return fresh;
    }

    /** Whatever is left at the end, partial characters included. */
    public String finish() {
        String text = tokenizer.decode(Arrays.copyOf(tokens, count));
        String rest = emitted < text.length() ? text.substring(emitted) : "";
        emitted = text.length();
        return rest;
    }
}
