package io.moxing.core;

/**
 * What the client sent, as an answer repeats it (a model name, an alias, a header's value): at most 64 characters,
 * since a body may name a "model" of megabytes, with the length noted past that; and control and format characters
 * (bidirectional overrides, zero-width joiners), line separators, lone surrogates and backslashes shown as
 * {@code \\uXXXX}, so that an answer read in a terminal or a browser shows what was sent rather than text reordered
 * or hidden by it.
 */
public final class Echo {
    private static final int MOST = 64;

    private Echo() {}

    public static String of(String sent) {
        if (sent.length() <= MOST && printableAscii(sent)) return sent; // the common case (a file name), on the serving path
        boolean truncated = sent.length() > MOST;
        String cut = truncated ? sent.substring(0, MOST) : sent;
        StringBuilder shown = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> {
            int type = Character.getType(c);
            // (the cut may split a surrogate pair, and half of one is not text; a backslash is shown so that a
            // client's typed "\\u202E" is not mistaken for the character shown this way)
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || c == '\\') {
                for (char unit : Character.toChars(c)) shown.append(String.format("\\u%04X", (int) unit));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return truncated ? shown + "... (" + sent.length() + " characters)" : shown.toString();
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '~' || c == '\\') return false;
        }
        return true;
    }
}
