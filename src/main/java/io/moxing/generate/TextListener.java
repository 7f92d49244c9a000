package io.moxing.generate;

/** Told of every token as it is written, with the text it completed; answers false to stop the generation. */
@FunctionalInterface
public interface TextListener {
    /**
     * @param text   the text this token completed (empty while a character or a possible stop sequence is held back)
     * @param tokens how many tokens have been written so far, this one included
     * @return whether to go on
     */
    boolean accept(String text, int tokens);

    TextListener IGNORE = (text, tokens) -> true;
}
