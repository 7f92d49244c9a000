package io.moxing.billing;

/**
 * What a key's token bucket counts: requests (one token each, however many samples they carry),
 * predictions (one token per sample, so 300 images in one request cost 300 tokens) or a language model's
 * tokens (the prompt's and the most the answer may write, taken up front; what the answer did not write is
 * given back when it ends).
 */
public enum RateUnit {
    REQUESTS, PREDICTIONS, TOKENS;

    /** As a refusal and a header name it: requests, predictions, tokens. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The unit named {@code text} (case-insensitive), or a {@link io.moxing.core.UserException} naming the choices. */
    public static RateUnit parse(String text) {
        if (text == null) return REQUESTS;
        for (RateUnit u : values()) if (u.name().equalsIgnoreCase(text)) return u;
        throw new io.moxing.core.UserException("invalid_field", "rate unit '" + text + "' must be requests, predictions or tokens");
    }
}
